package io.adsync.worker.run;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunState;
import io.adsync.run.ledger.RunLedger;
import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;
import java.util.Optional;

/**
 * When a failed run is tried again: exponential backoff with jitter (e.g. 30 s, 1 min, 2 min, ... capped at
 * 30 min), up to a number of attempts in all. Cancellations and tripped deletion guards are never retried:
 * they need a person.
 */
public final class RetryPolicy implements RunLedger.Retries {

    private final IntervalFunction backoff;
    private final int maxAttempts;

    /**
     * @param initial     the first delay
     * @param max         the cap of the doubling delay
     * @param jitter      +/- this fraction of random jitter on each delay
     * @param maxAttempts attempts in all, the first included
     */
    public RetryPolicy(Duration initial, Duration max, double jitter, int maxAttempts) {
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(initial, 2.0, jitter, max);
        this.maxAttempts = maxAttempts;
    }

    /** Whether attempt number {@code attempt} (1-based), which failed with {@code category}, gets another. */
    public boolean shouldRetry(int attempt, ErrorCategory category) {
        return attempt < maxAttempts && category != ErrorCategory.CANCELLED && category != ErrorCategory.DELETION_THRESHOLD;
    }

    /** Delay before the attempt that follows failed attempt {@code attempt}. */
    public Duration delayAfter(int attempt) {
        return Duration.ofMillis(backoff.apply(attempt));
    }

    /**
     * A failed or abandoned run of a job that asks for it is tried again, up to the limit: an abandoned one at once
     * (its worker died, the directory did not fail), a failed one after the backoff.
     */
    @Override
    public Optional<RunLedger.Retry> after(RunLedger.EndedRun e, boolean requeueOnFailure) {
        boolean failed = e.state() == RunState.FAILED || e.state() == RunState.ABANDONED;
        if (!failed || !requeueOnFailure || !shouldRetry(e.attempt(), e.category())) {
            return Optional.empty();
        }
        Duration delay = e.state() == RunState.ABANDONED ? Duration.ZERO : delayAfter(e.attempt());
        return Optional.of(new RunLedger.Retry(delay, "retry " + (e.attempt() + 1) + " of " + maxAttempts + " after "
                + e.state() + (e.error() == null ? "" : " (" + e.error() + ")")));
    }
}
