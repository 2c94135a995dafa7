package io.adsync.worker.claim;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunState;
import io.adsync.run.SyncFailure;
import io.adsync.run.ledger.ClaimedRun;
import io.adsync.run.ledger.DomainLeases;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.LeaseLostException;
import io.adsync.worker.run.RunCancelledException;
import io.adsync.worker.run.RunOutcomes;
import io.adsync.worker.run.RunResult;
import io.adsync.worker.run.SyncExecutor;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Executes one claimed run: takes its domain leases unless the claim already did (or defers the run if another
 * run holds one), hands it to the {@link SyncExecutor}, and records the outcome. Every log line of the run
 * carries runId and jobId (MDC).
 */
final class RunSupervisor {

    private static final Logger LOG = Logger.getLogger(RunSupervisor.class);

    private final Jdbi jdbi;
    private final SyncExecutor executor;
    private final RunOutcomes outcomes;
    private final WorkerMetrics metrics;
    private final Duration lease;
    private final Duration domainBusyDelay;

    RunSupervisor(Jdbi jdbi, SyncExecutor executor, RunOutcomes outcomes, WorkerMetrics metrics, Duration lease,
                  Duration domainBusyDelay) {
        this.jdbi = jdbi;
        this.executor = executor;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.lease = lease;
        this.domainBusyDelay = domainBusyDelay;
    }

    void supervise(ActiveRun active) {
        ClaimedRun run = active.run;
        MDC.put("runId", run.runId().toString());
        MDC.put("jobId", run.jobId().toString());
        long started = System.nanoTime();
        try {
            if (!takeDomains(active)) {
                return;
            }
            LOG.infof("run %s of job '%s' started (%s, attempt %d)", run.runId(), run.jobName(), run.trigger(), run.attempt());
            RunResult result;
            try {
                result = executor.execute(active.ctx);
            } catch (SyncFailure f) {
                result = RunResult.failure(f.category(), f.getMessage());
            } catch (RunCancelledException e) {
                result = RunResult.failure(ErrorCategory.CANCELLED, active.ctx.isCancelled() ? active.ctx.cancelReason() : e.getMessage());
            } catch (SQLException e) {
                result = RunResult.failure(ErrorCategory.DB, "database error: " + e.getMessage());
            }
            end(active, result, started);
        } catch (LeaseLostException e) {
            lost(active);
        } catch (Exception e) {
            if (active.released) {
                return;
            }
            LOG.errorf(e, "run %s failed unexpectedly", run.runId());
            end(active, RunResult.failure(ErrorCategory.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage()), started);
        } finally {
            MDC.remove("runId");
            MDC.remove("jobId");
        }
    }

    private boolean takeDomains(ActiveRun active) throws SQLException {
        ClaimedRun run = active.run;
        if (active.domainHeld) {
            active.ctx.assignDomains(List.of(run.domainId()));
            return true;
        }
        List<UUID> domains = Tx.run(jdbi, h -> DomainLeases.of(h, run));
        boolean taken = Tx.run(jdbi, h -> {
            if (!RunLedger.fence(h, run)) {
                throw new LeaseLostException(run.runId());
            }
            boolean all = DomainLeases.acquire(h, run.runId(), domains, lease);
            if (!all) {
                h.rollback();
            }
            return all;
        });
        if (taken) {
            active.ctx.assignDomains(domains);
            return true;
        }
        String holders = Tx.run(jdbi, h -> DomainLeases.holders(h, domains));
        String message = "waiting: domain " + (holders.isEmpty() ? "lease" : holders) + " is being synced by another run; trying again in "
                + domainBusyDelay.toMillis() + " ms";
        LOG.info(message);
        if (!outcomes.defer(run, domainBusyDelay, message)) {
            lost(active);
        }
        return false;
    }

    private void end(ActiveRun active, RunResult result, long startedNanos) {
        if (active.released) {
            return;
        }
        try {
            if (outcomes.finish(active.run, result, active.ctx.progress())) {
                RunState state = RunOutcomes.stateOf(result);
                metrics.runEnded(active.run.jobName(), state, result.mode(), Duration.ofNanos(System.nanoTime() - startedNanos));
                metrics.runCounted(result.stats(), active.ctx.progress().entriesRead());
                if (result.failed()) {
                    LOG.warnf("run %s ended %s: %s %s", active.run.runId(), state, result.errorCategory(), result.errorMessage());
                } else {
                    LOG.infof("run %s succeeded: %s", active.run.runId(), result.stats());
                }
            } else {
                lost(active);
            }
        } catch (SQLException e) {
            LOG.errorf("could not record the end of run %s (%s); its lease will expire and the run will be abandoned",
                    active.run.runId(), e.getMessage());
        }
    }

    private void lost(ActiveRun active) {
        if (!active.released) {
            metrics.leaseLost();
            LOG.warnf("run %s: lease lost, stopped without writing", active.run.runId());
        }
    }
}
