package io.adsync.worker.run;

import io.adsync.run.RunProgress;
import io.adsync.run.RunStats;
import io.adsync.run.ledger.ClaimedRun;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.db.Tx;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * What an executor sees of its run: the claim, the domains it holds leases on, live progress (sent with every
 * lease heartbeat), cancellation, and the fence that every write transaction must pass.
 */
public final class RunContext {

    private final ClaimedRun run;
    private final Jdbi jdbi;
    private volatile List<UUID> domainIds = List.of();
    private final AtomicReference<RunProgress> progress = new AtomicReference<>(RunProgress.EMPTY);
    private final AtomicReference<RunStats> committed = new AtomicReference<>(RunStats.EMPTY);
    private final ReentrantLock writes = new ReentrantLock();
    private volatile String cancelReason;

    public RunContext(ClaimedRun run, Jdbi jdbi) {
        this.run = run;
        this.jdbi = jdbi;
    }

    /** Set by the supervisor once the run holds the leases of these domains. */
    public void assignDomains(List<UUID> ids) {
        this.domainIds = List.copyOf(ids);
    }

    public ClaimedRun run() {
        return run;
    }

    /** The domains this run syncs, in order; their domain leases are held. */
    public List<UUID> domainIds() {
        return domainIds;
    }

    public void progress(RunProgress p) {
        progress.set(p);
    }

    public RunProgress progress() {
        return progress.get();
    }

    /** Adds what a just-committed write changed; a run released before it ends still reports exact counts. */
    public void committed(RunStats delta) {
        committed.accumulateAndGet(delta, RunStats::plus);
    }

    /**
     * One write transaction of this run: fenced, committed, and counted as one step, so that {@link #exclusively}
     * never sees a batch that is committed but not yet counted.
     */
    public <T> T write(Tx.Work<T> work, Function<T, RunStats> counted) throws SQLException {
        writes.lock();
        try {
            T result = Tx.run(jdbi, h -> {
                fence(h);
                return work.apply(h.getConnection());
            });
            committed(counted.apply(result));
            return result;
        } finally {
            writes.unlock();
        }
    }

    /** An action that may fail with a database error. */
    @FunctionalInterface
    public interface SqlAction<T> {
        T run() throws SQLException;
    }

    /** Runs {@code action} (e.g. releasing the run) while no write of this run is in flight. */
    public <T> T exclusively(SqlAction<T> action) throws SQLException {
        writes.lock();
        try {
            return action.run();
        } finally {
            writes.unlock();
        }
    }

    /** Everything this run has committed so far. */
    public RunStats committedStats() {
        return committed.get();
    }

    public void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
    }

    public boolean isCancelled() {
        return cancelReason != null;
    }

    public String cancelReason() {
        return cancelReason;
    }

    /** Call between pages and batches: stops the run promptly once it is cancelled. */
    public void checkCancelled() {
        if (cancelReason != null) {
            throw new RunCancelledException(cancelReason);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new RunCancelledException("interrupted");
        }
    }

    /**
     * Run first inside every write transaction. It share-locks this run's row while our lease is valid, so the
     * lease cannot be taken over before the transaction commits, and throws if it already was.
     */
    private void fence(Handle tx) {
        checkCancelled();
        if (!RunLedger.fence(tx, run)) {
            throw new LeaseLostException(run.runId());
        }
    }
}
