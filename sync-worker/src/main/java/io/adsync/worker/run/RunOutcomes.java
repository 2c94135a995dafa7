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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes how runs end, each in one transaction: the run's final state (fenced), the job's summary and next
 * scheduled time, a retry if one is due, and the release of the run's domain leases. Runs that end at about the
 * same time on this worker share that transaction ({@link GroupWriter}): ending a run then costs its rows, not a
 * transaction and a round trip per statement. The database may be briefly away (restart, failover): ending runs
 * is retried for about a lease period, so a result is not lost to a blip; after that the lease has expired
 * anyway and the reaper takes over.
 */
public final class RunOutcomes {

    /** The most run ends written in one transaction. */
    static final int MAX_BATCH = 64;

    /** A run that ended, as the job's bookkeeping needs it. */
    private record Ended(UUID runId, UUID jobId, int attempt, RunTrigger trigger, Instant scheduledFor, RunState state,
                         ErrorCategory category, String error) {
    }

    private final DataSource ds;
    private final RetryPolicy retries;
    private final Retry dbRetry;
    private final GroupWriter<WorkSql.RunEnd, Boolean> ends;

    public RunOutcomes(DataSource ds, RetryPolicy retries, Duration lease) {
        this.ds = ds;
        this.retries = retries;
        this.dbRetry = Retry.of("end-run", RetryConfig.custom()
                .maxAttempts((int) Math.max(3, lease.toSeconds() / 2))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2)))
                .retryExceptions(SQLException.class)
                .build());
        this.ends = new GroupWriter<>(batch -> withDbRetry(() -> Tx.run(ds, c -> endAll(c, batch))),
                single -> Tx.run(ds, c -> endAll(c, single)), MAX_BATCH);
    }

    /** @return false if the lease was lost, so nothing was written */
    public boolean finish(ClaimedRun run, RunResult result, RunProgress progress) throws SQLException {
        RunState state = !result.failed() ? RunState.SUCCEEDED
                : result.errorCategory() == ErrorCategory.CANCELLED ? RunState.CANCELLED : RunState.FAILED;
        return ends.write(new WorkSql.RunEnd(run, state, WorkSql.toJson(result.stats()), WorkSql.toJson(progress),
                WorkSql.toJson(result.details() == null ? Map.of() : result.details()),
                result.mode() == null ? null : result.mode().name(), result.modeReason(), result.errorCategory(),
                result.errorMessage()));
    }

    /** Ends runs in one transaction; returns, per run, whether it was still ours (else nothing was written for it). */
    private List<Boolean> endAll(Connection c, List<WorkSql.RunEnd> batch) throws SQLException {
        Set<UUID> mine = WorkSql.endRuns(c, batch);
        List<Ended> ended = new ArrayList<>();
        for (WorkSql.RunEnd e : batch) {
            if (mine.contains(e.run().runId())) {
                ClaimedRun r = e.run();
                ended.add(new Ended(r.runId(), r.jobId(), r.attempt(), r.trigger(), r.scheduledFor(), e.state(),
                        e.category(), e.category() == null ? null : e.category() + ": " + e.message()));
            }
        }
        afterRuns(c, ended);
        return batch.stream().map(e -> mine.contains(e.run().runId())).toList();
    }

    /** Bookkeeping for runs the reaper found abandoned: failures, retried at once if their jobs ask for it. */
    public void afterAbandoned(Connection c, List<WorkSql.EndedRun> runs) throws SQLException {
        afterRuns(c, runs.stream().map(r -> new Ended(r.runId(), r.jobId(), r.attempt(), r.trigger(), r.scheduledFor(),
                RunState.ABANDONED, null, "ABANDONED: lease expired")).toList());
    }

    /**
     * At shutdown, a run still going after the grace period is released: ABANDONED now (not at lease expiry)
     * and queued again at once, whatever requeueOnFailure says, because the job itself did not fail.
     */
    public boolean releaseForShutdown(ClaimedRun run, RunProgress progress, RunStats committed, String serverName) throws SQLException {
        return withDbRetry(() -> Tx.run(ds, c -> {
            boolean mine = WorkSql.endRun(c, new WorkSql.RunEnd(run, RunState.ABANDONED, WorkSql.toJson(committed),
                    WorkSql.toJson(progress), "{}", null, null, ErrorCategory.CANCELLED,
                    "released: worker " + serverName + " shut down before the run finished; queued again"));
            if (!mine) {
                return false;
            }
            Optional<WorkSql.JobRow> job = WorkSql.lockJob(c, run.jobId());
            WorkSql.afterRun(c, new WorkSql.JobAfterRun(run.jobId(), run.runId(), RunState.ABANDONED, "released at worker shutdown",
                    advances(run.trigger()), job.flatMap(j -> next(j, run.scheduledFor())).orElse(null)));
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

    /** The jobs' side of ended runs: summary and next scheduled time, retries where due, domain leases dropped. */
    private void afterRuns(Connection c, List<Ended> ended) throws SQLException {
        if (ended.isEmpty()) {
            return;
        }
        Map<UUID, WorkSql.JobRow> jobs = WorkSql.lockJobs(c, ended.stream().map(Ended::jobId).toList());
        List<WorkSql.JobAfterRun> updates = new ArrayList<>();
        for (Ended e : ended) {
            WorkSql.JobRow job = jobs.get(e.jobId());
            if (job == null) {
                continue; // deleted meanwhile
            }
            updates.add(new WorkSql.JobAfterRun(e.jobId(), e.runId(), e.state(), e.error(), advances(e.trigger()),
                    next(job, e.scheduledFor()).orElse(null)));
            boolean failed = e.state() == RunState.FAILED || e.state() == RunState.ABANDONED;
            if (failed && job.requeueOnFailure() && retries.shouldRetry(e.attempt(), e.category())) {
                Duration delay = e.state() == RunState.ABANDONED ? Duration.ZERO : retries.delayAfter(e.attempt());
                WorkSql.queueRetry(c, e.jobId(), e.runId(), e.attempt() + 1, delay, "retry " + (e.attempt() + 1) + " of "
                        + retries.maxAttempts() + " after " + e.state() + (e.error() == null ? "" : " (" + e.error() + ")"));
            }
        }
        if (!updates.isEmpty()) {
            WorkSql.afterRuns(c, updates);
        }
        WorkSql.releaseDomains(c, ended.stream().map(Ended::runId).toList());
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
