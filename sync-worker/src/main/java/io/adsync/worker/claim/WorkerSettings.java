package io.adsync.worker.claim;

import java.time.Duration;

/**
 * Everything a {@link io.adsync.worker.claim.Worker} needs to know, as plain values, so that tests and benchmarks
 * can run several workers with different settings in one JVM. Production values, and every default, come from
 * the app's WorkerConfig.
 *
 * @param serverName          job-server name (host or pod name)
 * @param canBeJobServer      the flag a newly registered server gets; an existing row keeps its own
 * @param concurrency         runs this worker executes at once
 * @param lease               how long a claim stays valid without a heartbeat; heartbeats come every lease/3
 * @param serverHeartbeat     how often the job-server row is refreshed (and its canBeJobServer flag re-read)
 * @param pollMin             first idle poll delay; doubles while idle up to pollMax
 * @param pollMax             longest idle poll delay (LISTEN/NOTIFY wakes the worker sooner)
 * @param shutdownGrace       how long running syncs may finish after SIGTERM before they are released
 * @param retryInitial        first retry delay after a failed run (requeueOnFailure)
 * @param retryMax            cap of the exponential retry delay
 * @param retryMaxAttempts    attempts in all, the first included; no retry after the last
 * @param retryJitter         +/- fraction of random jitter on each retry delay
 * @param domainBusyDelay     how long a run waits before it is tried again when its domain is being synced by another run
 */
public record WorkerSettings(String serverName, boolean canBeJobServer, int concurrency, Duration lease,
                             Duration serverHeartbeat, Duration pollMin, Duration pollMax, Duration shutdownGrace,
                             Duration retryInitial, Duration retryMax, int retryMaxAttempts, double retryJitter,
                             Duration domainBusyDelay) {

    public WorkerSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("adsync.worker.concurrency must be at least 1");
        }
        if (lease.toMillis() < 300) {
            throw new IllegalArgumentException("adsync.worker.lease must be at least 300ms");
        }
        if (retryMaxAttempts < 1) {
            throw new IllegalArgumentException("adsync.worker.retry.max-attempts must be at least 1");
        }
    }

    public Duration runHeartbeat() {
        return lease.dividedBy(3);
    }
}
