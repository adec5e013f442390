package dev.meridian.e2e;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An open-loop load generator for the fault drills: sends one request every {@code 1/rate} seconds whether or not
 * the earlier ones were answered (a stalled stack cannot slow the load down and hide a hang), and keeps every answer:
 * its status, when it was sent, how long it took, and the {@code id} of what it created.
 */
final class SteadyLoad implements AutoCloseable {

    /** Longest wait for an answer; a request not answered by then counts as a hang. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status 0 for no HTTP answer ({@code problem} says why). */
    record Answer(long sequence, long sentAtNanos, long millis, int status, String id, String retryAfter,
            String problem) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "steady-load");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<CompletableFuture<Answer>> pending = new ConcurrentLinkedQueue<>();
    private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sequence = new AtomicLong();
    private final long startNanos = System.nanoTime();

    /** Starts sending {@code rate} requests a second, the n-th made by {@code requests}. */
    SteadyLoad(int rate, LongFunction<HttpRequest> requests) {
        long periodMicros = 1_000_000L / rate;
        ticker.scheduleAtFixedRate(() -> send(requests), 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void send(LongFunction<HttpRequest> requests) {
        long n = sequence.getAndIncrement();
        long sent = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(requests.apply(n), (name, value) -> true).timeout(TIMEOUT).build();
        CompletableFuture<Answer> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    long millis = (System.nanoTime() - sent) / 1_000_000;
                    if (failure != null) {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        String problem = cause instanceof HttpTimeoutException ? "no answer within " + TIMEOUT
                                : "no HTTP answer: " + cause;
                        return new Answer(n, sent, millis, 0, null, null, problem);
                    }
                    return new Answer(n, sent, millis, response.statusCode(), idOf(response),
                            response.headers().firstValue("retry-after").orElse(null), problemWith(response));
                });
        pending.add(answer.whenComplete((a, e) -> answers.add(a)));
    }

    /** Seconds since the load started. */
    double elapsedSeconds() {
        return secondsAt(System.nanoTime());
    }

    /** A {@link System#nanoTime()} reading as seconds since the load started. */
    double secondsAt(long nanos) {
        return (nanos - startNanos) / 1e9;
    }

    /** Stops sending and waits for every request sent to be answered or to time out; returns all answers in order. */
    List<Answer> stop() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("answers did not all arrive", e);
        }
        List<Answer> all = new ArrayList<>(answers);
        all.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
        return all;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** Counts by status, e.g. {@code {200=812, 503=14}}; 0 is no HTTP answer. */
    static Map<Integer, Integer> statuses(List<Answer> answers) {
        Map<Integer, Integer> counts = new TreeMap<>();
        answers.forEach(a -> counts.merge(a.status(), 1, Integer::sum));
        return counts;
    }

    /** Answers that broke a drill's promise: no HTTP answer, or an error without OpenAI's envelope. */
    static List<String> problems(List<Answer> answers) {
        return answers.stream().filter(a -> a.problem() != null)
                .map(a -> "#" + a.sequence() + " (" + a.status() + ", " + a.millis() + " ms): " + a.problem()).toList();
    }

    private static String idOf(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(response.body()).get("id");
            return id != null && id.isTextual() ? id.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Null for a 2xx, or for an error that is OpenAI's envelope with a message; else what is wrong. */
    private static String problemWith(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 300) {
            return null;
        }
        try {
            JsonNode error = JSON.readTree(response.body()).get("error");
            if (error != null && error.path("message").isTextual() && !error.path("message").asText().isBlank()
                    && error.path("type").isTextual()) {
                return null;
            }
        } catch (Exception e) {
            // not JSON: reported below
        }
        String body = response.body();
        return "not an error envelope: " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }
}
