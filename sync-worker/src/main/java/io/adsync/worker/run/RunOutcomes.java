package io.adsync.worker.run;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunProgress;
import io.adsync.run.RunState;
import io.adsync.run.RunStats;
import io.adsync.run.RunTrigger;
import io.adsync.schedule.ScheduleCalculator;
import io.adsync.worker.claim.ClaimedRun;
import io.adsync.worker.claim.Tx;
import io.adsync.worker.claim.WorkSql;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes how runs end, each in one transaction: the run's final state (fenced), the job's summary and next
 * scheduled time, a retry if one is due, and the release of the run's domain leases. The database may be
 * briefly away (restart, failover): ending a run is retried for about a lease period, so a result is not lost
 * to a blip; after that the lease has expired anyway and the reaper takes over.
 */
public final class RunOutcomes {

    private final DataSource ds;
    private final RetryPolicy retries;
    private final Retry dbRetry;

    public RunOutcomes(DataSource ds, RetryPolicy retries, Duration lease) {
        this.ds = ds;
        this.retries = retries;
        this.dbRetry = Retry.of("end-run", RetryConfig.custom()
                .maxAttempts((int) Math.max(3, lease.toSeconds() / 2))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2)))
                .retryExceptions(SQLException.class)
                .build());
    }

    /** @return false if the lease was lost, so nothing was written */
    public boolean finish(ClaimedRun run, RunResult result, RunProgress progress) throws SQLException {
        RunState state = !result.failed() ? RunState.SUCCEEDED
                : result.errorCategory() == ErrorCategory.CANCELLED ? RunState.CANCELLED : RunState.FAILED;
        String error = result.failed() ? result.errorCategory() + ": " + result.errorMessage() : null;
        return withDbRetry(() -> Tx.run(ds, c -> {
            boolean mine = WorkSql.endRun(c, run, state, WorkSql.toJson(result.stats()), WorkSql.toJson(progress),
                    WorkSql.toJson(result.details() == null ? Map.of() : result.details()),
                    result.mode() == null ? null : result.mode().name(), result.modeReason(), result.errorCategory(),
                    result.errorMessage());
            if (mine) {
                afterRun(c, run.runId(), run.jobId(), run.attempt(), run.trigger(), run.scheduledFor(), state,
                        result.errorCategory(), error);
            }
            return mine;
        }));
    }

    /** Bookkeeping for a run the reaper found abandoned: a failure, retried at once if the job asks for it. */
    public void afterAbandoned(Connection c, WorkSql.EndedRun run) throws SQLException {
        afterRun(c, run.runId(), run.jobId(), run.attempt(), run.trigger(), run.scheduledFor(), RunState.ABANDONED,
                null, "ABANDONED: lease expired");
    }

    /**
     * At shutdown, a run still going after the grace period is released: ABANDONED now (not at lease expiry)
     * and queued again at once, whatever requeueOnFailure says, because the job itself did not fail.
     */
    public boolean releaseForShutdown(ClaimedRun run, RunProgress progress, RunStats committed, String serverName) throws SQLException {
        return withDbRetry(() -> Tx.run(ds, c -> {
            boolean mine = WorkSql.endRun(c, run, RunState.ABANDONED, WorkSql.toJson(committed),
                    WorkSql.toJson(progress), "{}", null, null, ErrorCategory.CANCELLED,
                    "released: worker " + serverName + " shut down before the run finished; queued again");
            if (!mine) {
                return false;
            }
            Optional<WorkSql.JobRow> job = WorkSql.lockJob(c, run.jobId());
            WorkSql.afterRun(c, run.jobId(), run.runId(), RunState.ABANDONED, "released at worker shutdown",
                    advances(run.trigger()), job.flatMap(j -> next(j, run.scheduledFor())).orElse(null));
            if (job.isPresent()) {
                WorkSql.queueRetry(c, run.jobId(), run.runId(), run.attempt() + 1, Duration.ZERO,
                        "requeued: the previous attempt was released when worker " + serverName + " shut down");
            }
            WorkSql.releaseDomains(c, run.runId());
            return true;
        }));
    }

    /** The run's domain is being synced by another run: back to the queue, visibly, to be tried again shortly. */
    public boolean defer(ClaimedRun run, Duration delay, String message) throws SQLException {
        return withDbRetry(() -> Tx.run(ds, c -> {
            if (!WorkSql.deferRun(c, run, delay, message)) {
                return false;
            }
            Optional<WorkSql.JobRow> job = WorkSql.lockJob(c, run.jobId());
            WorkSql.releaseJob(c, run.jobId(), run.runId(), advances(run.trigger()),
                    job.flatMap(j -> next(j, run.scheduledFor())).orElse(null));
            return true;
        }));
    }

    private void afterRun(Connection c, UUID runId, UUID jobId, int attempt, RunTrigger trigger, Instant scheduledFor,
                          RunState state, ErrorCategory category, String error) throws SQLException {
        Optional<WorkSql.JobRow> job = WorkSql.lockJob(c, jobId);
        if (job.isPresent()) {
            WorkSql.afterRun(c, jobId, runId, state, error, advances(trigger), next(job.get(), scheduledFor).orElse(null));
            boolean failed = state == RunState.FAILED || state == RunState.ABANDONED;
            if (failed && job.get().requeueOnFailure() && retries.shouldRetry(attempt, category)) {
                Duration delay = state == RunState.ABANDONED ? Duration.ZERO : retries.delayAfter(attempt);
                WorkSql.queueRetry(c, jobId, runId, attempt + 1, delay, "retry " + (attempt + 1) + " of " + retries.maxAttempts()
                        + " after " + state + (error == null ? "" : " (" + error + ")"));
            }
        }
        WorkSql.releaseDomains(c, runId);
    }

    private static boolean advances(RunTrigger trigger) {
        return trigger == RunTrigger.SCHEDULE;
    }

    private static Optional<Instant> next(WorkSql.JobRow job, Instant scheduledFor) {
        return job.enabled() ? ScheduleCalculator.nextRun(job.schedule(), scheduledFor, Instant.now()) : Optional.empty();
    }

    private <T> T withDbRetry(CheckedSupplier<T> work) throws SQLException {
        try {
            return Retry.decorateCheckedSupplier(dbRetry, work).get();
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
