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
    private final Counter claimFailures;
    private final Counter leasesLost;
    private final Counter entriesRead;
    private final Counter created;
    private final Counter updated;
    private final Counter deactivated;
    private final Counter reactivated;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.claimLatency = Timer.builder("adsync.claim.latency").description("Time of one claim transaction")
                .publishPercentileHistogram().register(registry);
        this.claimFailures = Counter.builder("adsync.claim.failures")
                .description("Claim transactions that failed (database unreachable, or a claim that broke a constraint)")
                .register(registry);
        this.leasesLost = Counter.builder("adsync.leases.lost").description("Runs this worker lost the lease of").register(registry);
        // looked up once, not on every run's end
        this.entriesRead = registry.counter("adsync.entries.read");
        this.created = registry.counter("adsync.accounts.changed", "change", "created");
        this.updated = registry.counter("adsync.accounts.changed", "change", "updated");
        this.deactivated = registry.counter("adsync.accounts.changed", "change", "deactivated");
        this.reactivated = registry.counter("adsync.accounts.changed", "change", "reactivated");
    }

    void claimTook(long nanos) {
        claimLatency.record(Duration.ofNanos(nanos));
    }

    void claimFailed() {
        claimFailures.increment();
    }

    public void leaseLost() {
        leasesLost.increment();
    }

    /** What a run read and changed, summed over runs: entries read and accounts created, updated, (re)activated. */
    public void runCounted(io.adsync.run.RunStats stats, long entriesRead) {
        this.entriesRead.increment(entriesRead);
        created.increment(stats.created());
        updated.increment(stats.updated());
        deactivated.increment(stats.deactivated());
        reactivated.increment(stats.reactivated());
    }

    /** Queue depth: runs and jobs that are due but not claimed, read from the database at scrape time. */
    public void queueDepthFrom(javax.sql.DataSource ds) {
        io.micrometer.core.instrument.Gauge.builder("adsync.queue.depth", ds, WorkerMetrics::queueDepth)
                .description("Runs due but not yet claimed").register(registry);
    }

    private static double queueDepth(javax.sql.DataSource ds) {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT (SELECT count(*) FROM job_run WHERE state = 'QUEUED' AND not_before <= now())
                     + (SELECT count(*) FROM sync_job j WHERE j.enabled AND j.next_run_at <= now() AND j.current_run_id IS NULL
                          AND NOT EXISTS (SELECT 1 FROM job_run r WHERE r.job_id = j.id AND r.state = 'QUEUED'))""")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return Double.NaN;
        }
    }

    public void runEnded(String job, RunState outcome, SyncMode mode, Duration took) {
        String m = mode == null ? "NONE" : mode.name();
        Counter.builder("adsync.runs").description("Runs ended, by job, outcome and mode")
                .tags("job", job, "outcome", outcome.name(), "mode", m).register(registry).increment();
        Timer.builder("adsync.run.duration").description("Run duration, claim to end")
                .tags("job", job, "outcome", outcome.name(), "mode", m).register(registry).record(took);
    }
}
