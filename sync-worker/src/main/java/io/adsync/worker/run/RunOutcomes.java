package io.adsync.worker.run;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunProgress;
import io.adsync.run.RunState;
import io.adsync.run.RunStats;
import io.adsync.run.ledger.ClaimedRun;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.db.Tx;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How this worker's runs end, through the {@link RunLedger}: each end in one transaction with its job's
 * bookkeeping. Runs that end at about the same time share that transaction ({@link GroupWriter}): ending a run
 * then costs its rows, not a transaction and a round trip per statement. The database may be briefly away
 * (restart, failover): ends are retried for about a lease period, so a result is not lost to a blip; after that the
 * lease has expired anyway and the reaper takes over.
 */
public final class RunOutcomes {

    /** The most run ends written in one transaction. */
    static final int MAX_BATCH = 64;

    private final Jdbi jdbi;
    private final RetryPolicy retries;
    private final Retry dbRetry;
    private final GroupWriter<RunLedger.RunEnd, Boolean> ends;

    public RunOutcomes(Jdbi jdbi, RetryPolicy retries, Duration lease) {
        this.jdbi = jdbi;
        this.retries = retries;
        this.dbRetry = Retry.of("end-run", RetryConfig.custom()
                .maxAttempts((int) Math.max(3, lease.toSeconds() / 2))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2)))
                .retryExceptions(SQLException.class)
                .build());
        this.ends = new GroupWriter<>(batch -> withDbRetry(() -> Tx.run(jdbi, h -> endAll(h, batch))),
                single -> Tx.run(jdbi, h -> endAll(h, single)), MAX_BATCH);
    }

    /** The state a run ends in, for its result. */
    public static RunState stateOf(RunResult result) {
        return !result.failed() ? RunState.SUCCEEDED
                : result.errorCategory() == ErrorCategory.CANCELLED ? RunState.CANCELLED : RunState.FAILED;
    }

    /** @return false if the lease was lost, so nothing was written */
    public boolean finish(ClaimedRun run, RunResult result, RunProgress progress) throws SQLException {
        return ends.write(new RunLedger.RunEnd(run, stateOf(result), RunLedger.json(result.stats()), RunLedger.json(progress),
                RunLedger.json(result.details() == null ? Map.of() : result.details()),
                result.mode() == null ? null : result.mode().name(), result.modeReason(), result.errorCategory(),
                result.errorMessage()));
    }

    private List<Boolean> endAll(org.jdbi.v3.core.Handle h, List<RunLedger.RunEnd> batch) {
        Set<java.util.UUID> mine = RunLedger.end(h, batch, retries);
        return batch.stream().map(e -> mine.contains(e.run().runId())).toList();
    }

    /** Runs whose lease expired become ABANDONED (retried at once if their jobs ask for it). */
    public List<RunLedger.EndedRun> reap(int limit) throws SQLException {
        return Tx.run(jdbi, h -> RunLedger.reap(h, limit, retries));
    }

    /** At shutdown: the run is released now and queued again at once (see {@link RunLedger#releaseAtShutdown}). */
    public boolean releaseForShutdown(ClaimedRun run, RunProgress progress, RunStats committed, String serverName) throws SQLException {
        return withDbRetry(() -> Tx.run(jdbi, h -> RunLedger.releaseAtShutdown(h, run, RunLedger.json(committed),
                RunLedger.json(progress), serverName)));
    }

    /** The run's domain is being synced by another run: back to the queue, visibly, to be tried again shortly. */
    public boolean defer(ClaimedRun run, Duration delay, String message) throws SQLException {
        return withDbRetry(() -> Tx.run(jdbi, h -> RunLedger.defer(h, run, delay, message)));
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
