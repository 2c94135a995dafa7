package io.adsync.worker.claim;

import io.adsync.run.RunState;
import io.adsync.run.SyncMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** The worker's Prometheus metrics (Micrometer), named adsync_*. */
public final class WorkerMetrics {

    private final MeterRegistry registry;
    private final Timer claimLatency;
    private final Counter leasesLost;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.claimLatency = Timer.builder("adsync.claim.latency").description("Time of one claim transaction")
                .publishPercentileHistogram().register(registry);
        this.leasesLost = Counter.builder("adsync.leases.lost").description("Runs this worker lost the lease of").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void claimTook(long nanos) {
        claimLatency.record(Duration.ofNanos(nanos));
    }

    public void leaseLost() {
        leasesLost.increment();
    }

    public void runEnded(String job, RunState outcome, SyncMode mode, Duration took) {
        String m = mode == null ? "NONE" : mode.name();
        Counter.builder("adsync.runs").description("Runs ended, by job, outcome and mode")
                .tags("job", job, "outcome", outcome.name(), "mode", m).register(registry).increment();
        Timer.builder("adsync.run.duration").description("Run duration, claim to end")
                .tags("job", job, "outcome", outcome.name(), "mode", m).register(registry).record(took);
    }
}
