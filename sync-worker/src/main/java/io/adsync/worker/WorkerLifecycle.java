package io.adsync.worker;

import io.adsync.worker.claim.DatabaseAddress;
import io.adsync.worker.claim.Worker;
import io.adsync.worker.claim.WorkerMetrics;
import io.adsync.worker.run.SyncExecutor;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** Starts this process's worker at boot (unless adsync.worker.enabled=false) and stops it gracefully on SIGTERM. */
@ApplicationScoped
public class WorkerLifecycle {

    private final AgroalDataSource ds;
    private final WorkerConfig config;
    private final Instance<SyncExecutor> executor;
    private final MeterRegistry meters;
    private final String jdbcUrl;
    private final Optional<String> user;
    private final Optional<String> password;
    private final String version;
    private volatile Worker worker;

    public WorkerLifecycle(AgroalDataSource ds, WorkerConfig config, Instance<SyncExecutor> executor, MeterRegistry meters,
                           @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                           @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                           @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
                           @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.ds = ds;
        this.config = config;
        this.executor = executor;
        this.meters = meters;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.version = version;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!config.enabled()) {
            return;
        }
        if (!executor.isResolvable()) {
            throw new IllegalStateException("no SyncExecutor bean: this build cannot run syncs");
        }
        WorkerMetrics metrics = new WorkerMetrics(meters);
        metrics.queueDepthFrom(ds);
        worker = new Worker(ds, new DatabaseAddress(jdbcUrl, user.orElse(null), password.orElse(null)), config.toSettings(),
                executor.get(), metrics, version);
        worker.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        Worker w = worker;
        if (w != null) {
            w.stop();
        }
    }

    /** This process's worker, if it runs one. */
    public Optional<Worker> worker() {
        return Optional.ofNullable(worker);
    }

    /** The connection settings, for tests that start more workers in this JVM. */
    public DatabaseAddress databaseAddress() {
        return new DatabaseAddress(jdbcUrl, user.orElse(null), password.orElse(null));
    }
}
