package io.adsync.bench;

import io.adsync.run.RunStats;
import io.adsync.worker.claim.WorkerSettings;
import io.adsync.worker.claim.DatabaseAddress;
import io.adsync.worker.claim.Worker;
import io.adsync.worker.claim.WorkerMetrics;
import io.adsync.worker.run.RunResult;
import io.adsync.worker.run.SyncExecutor;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM with one real {@link Worker} (the production claim machinery, unchanged) whose {@link SyncExecutor} only
 * records what it was given and succeeds: scenario 5 measures the claim, lease and bookkeeping around runs, not
 * syncing. {@code NoopWorkerMain <server name> <concurrency> <pool size> <output file>}; the database comes from
 * QUARKUS_DATASOURCE_JDBC_URL / _USERNAME / _PASSWORD, as for the real worker. On SIGTERM it stops the worker
 * gracefully and writes one line per execution, {@code runId,jobId,attempt}, to the output file.
 */
public final class NoopWorkerMain {

    /** One call of the executor. */
    record Execution(UUID runId, UUID jobId, int attempt) {
    }

    private NoopWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: NoopWorkerMain <server name> <concurrency> <pool size> <output file>");
            System.exit(2);
        }
        String name = args[0];
        int concurrency = Integer.parseInt(args[1]);
        int poolSize = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        logToConsole();
        Map<String, String> env = System.getenv();
        DatabaseAddress db = new DatabaseAddress(env.get("QUARKUS_DATASOURCE_JDBC_URL"), env.get("QUARKUS_DATASOURCE_USERNAME"),
                env.get("QUARKUS_DATASOURCE_PASSWORD"));

        Queue<Execution> executions = new ConcurrentLinkedQueue<>();
        SyncExecutor noop = ctx -> {
            executions.add(new Execution(ctx.run().runId(), ctx.run().jobId(), ctx.run().attempt()));
            return RunResult.success(RunStats.EMPTY);
        };
        AgroalDataSource ds = pool(db, poolSize);
        Worker worker = new Worker(ds, db, settings(name, concurrency), noop, new WorkerMetrics(new SimpleMeterRegistry()), "bench");

        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                worker.stop();
                write(out, executions);
                System.out.printf("%s: %d executions written to %s%n", name, executions.size(), out);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                ds.close();
                done.countDown();
            }
        }, "noop-worker-shutdown"));
        worker.start();
        System.out.printf("%s: worker started (concurrency %d, pool %d)%n", name, concurrency, poolSize);
        done.await();
    }

    /**
     * INFO to stdout in the worker app's console format, so the per-run log lines cost what they cost in production
     * (needs -Djava.util.logging.manager=org.jboss.logmanager.LogManager, as Quarkus sets it).
     */
    private static void logToConsole() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        if (root instanceof org.jboss.logmanager.Logger) {
            var handler = new org.jboss.logmanager.handlers.ConsoleHandler(
                    new org.jboss.logmanager.formatters.PatternFormatter("%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n"));
            handler.setLevel(java.util.logging.Level.INFO);
            root.addHandler(handler);
            root.setLevel(java.util.logging.Level.INFO);
        }
    }

    /**
     * The production defaults (the {@code @WithDefault}s of {@link io.adsync.worker.WorkerConfig}: 30 s lease, 250 ms
     * to 5 s polling, 30 s grace...) with the concurrency an operator of many small jobs would raise.
     */
    static WorkerSettings settings(String name, int concurrency) {
        return new io.smallrye.config.SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter()) // "30s", as Quarkus reads it
                .withMapping(io.adsync.worker.WorkerConfig.class)
                .withDefaultValue("adsync.worker.server-name", name)
                .withDefaultValue("adsync.worker.concurrency", Integer.toString(concurrency))
                .build().getConfigMapping(io.adsync.worker.WorkerConfig.class).toSettings();
    }

    /** An Agroal pool set up like the worker app's (sync-worker application.properties: validate on borrow). */
    static AgroalDataSource pool(DatabaseAddress db, int size) throws java.sql.SQLException {
        AgroalDataSourceConfigurationSupplier cfg = new AgroalDataSourceConfigurationSupplier();
        cfg.connectionPoolConfiguration()
                .minSize(0)
                .initialSize(0)
                .maxSize(size)
                .acquisitionTimeout(Duration.ofSeconds(5))
                .validateOnBorrow(true)
                .connectionValidator(ConnectionValidator.defaultValidator())
                .connectionFactoryConfiguration()
                .jdbcUrl(db.jdbcUrl())
                .principal(new NamePrincipal(db.user()))
                .credential(new SimplePassword(db.password()));
        return AgroalDataSource.from(cfg);
    }

    private static void write(Path out, Queue<Execution> executions) throws java.io.IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            for (Execution e : executions) {
                w.write(e.runId() + "," + e.jobId() + "," + e.attempt());
                w.newLine();
            }
        }
    }
}
