package io.adsync.worker.run;

import io.adsync.run.ErrorCategory;
import io.adsync.worker.WorkerSettings;
import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;

/**
 * When a failed run is tried again: exponential backoff with jitter (e.g. 30 s, 1 min, 2 min, ... capped at
 * 30 min), up to a number of attempts in all. Cancellations and tripped deletion guards are never retried:
 * they need a person.
 */
public final class RetryPolicy {

    private final IntervalFunction backoff;
    private final int maxAttempts;

    public RetryPolicy(WorkerSettings s) {
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(s.retryInitial(), 2.0, s.retryJitter(), s.retryMax());
        this.maxAttempts = s.retryMaxAttempts();
    }

    /** Whether attempt number {@code attempt} (1-based), which failed with {@code category}, gets another. */
    public boolean shouldRetry(int attempt, ErrorCategory category) {
        return attempt < maxAttempts && category != ErrorCategory.CANCELLED && category != ErrorCategory.DELETION_THRESHOLD;
    }

    /** Delay before the attempt that follows failed attempt {@code attempt}. */
    public Duration delayAfter(int attempt) {
        return Duration.ofMillis(backoff.apply(attempt));
    }

    public int maxAttempts() {
        return maxAttempts;
    }
}
