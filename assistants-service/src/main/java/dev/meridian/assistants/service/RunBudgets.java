package dev.meridian.assistants.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.meridian.assistants.config.RunsConfig;
import dev.meridian.ratelimit.RateLimiter;

/**
 * The tokens a run was charged when it was created (an estimate: its instructions and messages at four characters a
 * token, plus its completion allowance) and their settlement with what the model server reports it used, turn by
 * turn. Kept by the replica that created the run; a run finished by another replica keeps its estimate.
 */
@ApplicationScoped
public class RunBudgets {

    private final Cache<String, RateLimiter.Admission> open = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1)).build();

    @Inject
    RateLimiter limiter;

    void admitted(String runId, RateLimiter.Admission admission) {
        open.put(runId, admission);
    }

    /** A turn of the run used {@code tokens}: the first settles the reservation, later ones are charged as they come. */
    void used(String runId, long tokens) {
        RateLimiter.Admission admission = open.getIfPresent(runId);
        if (admission == null) {
            return;
        }
        open.put(runId, new RateLimiter.Admission(admission.project(), admission.model(), 0));
        limiter.settle(admission, tokens);
    }

    @Inject
    RunsConfig config;

    /** Text at four characters a token, plus the completion allowance (max_completion_tokens, or the configured one). */
    long estimate(String text, Integer maxCompletionTokens) {
        return RateLimiter.estimateTokens(text)
                + (maxCompletionTokens == null ? config.rateLimitCompletionAllowance() : maxCompletionTokens);
    }
}
