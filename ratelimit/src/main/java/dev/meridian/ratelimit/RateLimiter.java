package dev.meridian.ratelimit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meridian.common.error.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.meridian.common.events.RateLimitData;
import dev.meridian.common.security.Caller;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Admits a request to a model for the caller's project, or refuses it with OpenAI's 429: requests (a minute, and a
 * day where that limit applies), images (counted by {@code n}) and tokens (an estimate, settled later by
 * {@link #settle}). The {@code x-ratelimit-*} headers of OpenAI go on the response either way.
 */
@ApplicationScoped
public class RateLimiter {

    public static final String RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";

    private static final java.time.Duration MINUTE = java.time.Duration.ofMinutes(1);
    private static final java.time.Duration DAY = java.time.Duration.ofDays(1);

    @Inject
    RateLimitsConfig config;

    @Inject
    Limits limits;

    @Inject
    Buckets buckets;

    @Inject
    RateLimitHeaders headers;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Timer admitTime;
    private final Timer admitCpu;
    private final boolean cpuTimed = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    @Inject
    public RateLimiter(MeterRegistry registry) {
        admitTime = admitTimer("meridian.ratelimit.admit", "Time spent admitting a request (limits, buckets)", registry);
        admitCpu = admitTimer("meridian.ratelimit.admit.cpu", "CPU time the admitting thread spent on it: the limiter's "
                + "own work, without the time the thread waited for a core or a collection", registry);
    }

    private static Timer admitTimer(String name, String description, MeterRegistry registry) {
        return Timer.builder(name).description(description)
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(java.time.Duration.ofMinutes(10))
                .distributionStatisticBufferLength(2)
                // cumulative counts at these bounds, which bench/ratelimits.sh reads before and after a phase
                .serviceLevelObjectives(java.time.Duration.ofNanos(50_000), java.time.Duration.ofNanos(100_000),
                        java.time.Duration.ofNanos(200_000), java.time.Duration.ofNanos(500_000), java.time.Duration.ofMillis(1),
                        java.time.Duration.ofMillis(5))
                .register(registry);
    }

    /**
     * @param images how many images the request makes (0 when it makes none)
     * @param tokens the tokens it is expected to use (0 when not counted)
     * @return what was taken, for {@link #settle}
     * @throws ApiException 429 {@code rate_limit_exceeded} with {@code retry-after} when a limit is reached
     */
    public Admission admit(Caller caller, String model, String capability, int images, long tokens) {
        if (!config.enabled()) {
            return Admission.NONE;
        }
        long started = System.nanoTime();
        long cpu = cpuTimed ? THREADS.getCurrentThreadCpuTime() : 0;
        try {
            return take(caller, model, capability, images, tokens);
        } finally {
            admitTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (cpuTimed) {
                admitCpu.record(THREADS.getCurrentThreadCpuTime() - cpu, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    private Admission take(Caller caller, String model, String capability, int images, long tokens) {
        String project = caller.project();
        RateLimitData limit = limits.of(caller, model, capability);
        List<Taken> taken = new ArrayList<>();
        try {
            take(taken, project, model, "requests", "requests per min (RPM)", limit.maxRequestsPer1Minute(),
                    limit.maxRequestsPer1Day(), 1, "requests");
            if (images > 0 && limit.maxImagesPer1Minute() != null) {
                take(taken, project, model, "images", "images per min (IPM)", limit.maxImagesPer1Minute(), null, images, null);
            }
            if (tokens > 0 && limit.maxTokensPer1Minute() != null) {
                take(taken, project, model, "tokens", "tokens per min (TPM)", limit.maxTokensPer1Minute(), null, tokens, "tokens");
            }
        } catch (ApiException refused) {
            for (Taken t : taken) {
                buckets.refund(t.bucket(), t.amount());
            }
            throw refused;
        }
        long reservedTokens = taken.stream().filter(t -> t.kind().equals("tokens")).mapToLong(Taken::amount).sum();
        return new Admission(project, model, reservedTokens);
    }

    /** Corrects a token reservation with what was used, once known (for instance when a run ends). */
    public void settle(Admission admission, long usedTokens) {
        if (admission == null || admission.project() == null || admission.reservedTokens() <= 0 && usedTokens <= 0) {
            return;
        }
        RateLimitData limit = limits.known(admission.project(), admission.model());
        if (limit == null || limit.maxTokensPer1Minute() == null || limit.maxTokensPer1Minute() == 0) {
            return;
        }
        Buckets.SharedBucket bucket = buckets.bucket(key(admission.project(), admission.model(), "tokens"),
                limit.maxTokensPer1Minute(), MINUTE);
        long difference = usedTokens - admission.reservedTokens();
        if (difference < 0) {
            buckets.refund(bucket, -difference);
        } else if (difference > 0) {
            buckets.consumeAnyway(bucket, difference);
        }
    }

    private void take(List<Taken> taken, String project, String model, String kind, String described, Integer perMinute,
            Integer perDay, long amount, String headerKind) {
        if (perMinute == null) {
            return;
        }
        if (perMinute == 0 || perDay != null && perDay == 0) {
            throw exceeded(project, model, kind, described, 0, 0, amount, 60_000_000_000L);
        }
        if (amount > perMinute) {
            throw exceeded(project, model, kind, described, perMinute, 0, amount, 60_000_000_000L);
        }
        Buckets.SharedBucket bucket = buckets.bucket(key(project, model, kind), perMinute, MINUTE);
        ConsumptionProbe probe = buckets.tryConsume(bucket, amount);
        if (headerKind != null) {
            headers.put("x-ratelimit-limit-" + headerKind, Integer.toString(perMinute));
            headers.put("x-ratelimit-remaining-" + headerKind, Long.toString(Math.max(0, probe.getRemainingTokens())));
            headers.put("x-ratelimit-reset-" + headerKind, duration(probe.getNanosToWaitForReset()));
        }
        if (!probe.isConsumed()) {
            throw exceeded(project, model, kind, described, perMinute, perMinute - probe.getRemainingTokens(), amount,
                    probe.getNanosToWaitForRefill());
        }
        taken.add(new Taken(kind, bucket, amount));
        if (perDay != null) {
            Buckets.SharedBucket daily = buckets.bucket(key(project, model, kind + "-day"), perDay, DAY);
            ConsumptionProbe dayProbe = buckets.tryConsume(daily, amount);
            if (!dayProbe.isConsumed()) {
                throw exceeded(project, model, kind, "requests per day (RPD)" /* the only daily limit OpenAI has */, perDay,
                        perDay - dayProbe.getRemainingTokens(), amount, dayProbe.getNanosToWaitForRefill());
            }
            taken.add(new Taken(kind + "-day", daily, amount));
        }
    }

    private ApiException exceeded(String project, String model, String kind, String described, long limit, long used,
            long requested, long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        Map<String, String> response = new LinkedHashMap<>(headers.all());
        response.put("retry-after", Long.toString(seconds));
        response.put("retry-after-ms", Long.toString(Math.max(1, waitNanos / 1_000_000L)));
        return new ApiException(429, kind, "Rate limit reached for " + model + " in project " + project + " on " + described
                + ": Limit " + limit + ", Used " + Math.max(0, used) + ", Requested " + requested + ". Please try again in "
                + duration(waitNanos) + ".", null, RATE_LIMIT_EXCEEDED).withHeaders(response);
    }

    /** OpenAI's rule of thumb, about four characters of English per token: what a request is charged before it runs. */
    public static long estimateTokens(String text) {
        return text == null || text.isEmpty() ? 0 : (text.length() + 3) / 4;
    }

    static String key(String project, String model, String kind) {
        return project + '|' + model + '|' + kind;
    }

    /** OpenAI's durations: {@code 120ms}, {@code 1.5s}, {@code 6m0s}. */
    static String duration(long nanos) {
        long millis = Math.max(0, nanos / 1_000_000L);
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        double seconds = (millis % 60_000) / 1000.0;
        String s = seconds == Math.floor(seconds) ? Long.toString((long) seconds) : String.format(java.util.Locale.ROOT, "%.3f", seconds)
                .replaceAll("0+$", "");
        return minutes > 0 ? minutes + "m" + s + "s" : s + "s";
    }

    private record Taken(String kind, Buckets.SharedBucket bucket, long amount) {
    }

    /** What an admitted request took: kept by work that settles its tokens later. */
    public record Admission(String project, String model, long reservedTokens) {
        /** Nothing was taken (rate limits are off). */
        public static final Admission NONE = new Admission(null, null, 0);
    }
}
