package io.adsync.worker.run;

/**
 * Does the work of one claimed run. The claim machinery around it (leases, heartbeats, fencing, outcome,
 * retries) is the same whatever the executor does; tests plug in executors that succeed, fail, hang or record.
 */
@FunctionalInterface
public interface SyncExecutor {

    /**
     * @return the outcome; a failure may also be thrown as {@link io.adsync.run.SyncFailure}
     * @throws RunCancelledException when {@link RunContext#checkCancelled()} found the run cancelled
     * @throws LeaseLostException    when a fenced write found the lease gone: the run must stop writing
     */
    RunResult execute(RunContext ctx) throws Exception;
}
