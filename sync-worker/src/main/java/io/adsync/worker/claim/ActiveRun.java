package io.adsync.worker.claim;

import io.adsync.run.ledger.ClaimedRun;
import io.adsync.worker.run.RunContext;

import java.util.concurrent.Future;

/** A run executing on this worker: its claim, its context, and the task executing it. */
final class ActiveRun {
    final ClaimedRun run;
    final RunContext ctx;
    /** The claim already took the lease of the run's one domain (see DomainLeases#leaseClaimed). */
    final boolean domainHeld;
    volatile Future<?> task;
    /** Set once the worker released the run at shutdown: the executor must not write an outcome after that. */
    volatile boolean released;

    ActiveRun(ClaimedRun run, RunContext ctx, boolean domainHeld) {
        this.run = run;
        this.ctx = ctx;
        this.domainHeld = domainHeld;
    }
}
