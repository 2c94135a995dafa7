package io.adsync.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every scenario shares: the settings bench/run.sh passed in, the benchmark database, the running
 * api-service, the fixture DCs, and the domains and jobs created for them through the API.
 */
public final class BenchContext implements AutoCloseable {

    /** Everything bench/run.sh hands over (environment variables ADSYNC_BENCH_*). */
    public record Settings(Path root, Path work, String java, int runs, String pgBaseUrl, String database,
                           String dbUser, String dbPassword, Path bigFixtureEnv, int bigUsers, Path smallFixtureEnv,
                           int smallUsers, int apiPort, int firstWorkerPort) {
    }

    /** A run as the database recorded it. */
    public record RunRecord(UUID id, String state, Instant createdAt, Instant startedAt, Instant finishedAt,
                            JsonNode stats, JsonNode details, String mode, String error) {
        public double claimToEndSeconds() {
            return Duration.between(startedAt, finishedAt).toNanos() / 1e9;
        }

        public double queuedToEndSeconds() {
            return Duration.between(createdAt, finishedAt).toNanos() / 1e9;
        }

        public long stat(String name) {
            return stats == null || stats.get(name) == null ? 0 : stats.get(name).asLong();
        }
    }

    private final Settings s;
    private final String encryptionKey;
    private final String apiKey = "bench-" + UUID.randomUUID();
    private final Map<String, Fixture> fixtures = new LinkedHashMap<>();
    private final Map<String, UUID> domains = new HashMap<>();
    private final Map<String, UUID> jobs = new HashMap<>();
    private final List<JvmProcess> started = new ArrayList<>();
    private JvmProcess apiProcess;
    private Api api;
    /** The next free management port (health): the API takes the first, each sync-worker the next. */
    private int nextPort;

    public BenchContext(Settings s) {
        this.s = s;
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        this.encryptionKey = java.util.Base64.getEncoder().encodeToString(key);
        this.nextPort = s.firstWorkerPort();
    }

    public Settings settings() {
        return s;
    }

    public int runs() {
        return s.runs();
    }

    public Path work() {
        return s.work();
    }

    public String jdbcUrl() {
        return s.pgBaseUrl() + s.database();
    }

    public Connection db() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), s.dbUser(), s.dbPassword());
    }

    /** The environment every adsync process of the benchmark gets: database and encryption key. */
    public Map<String, String> appEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", s.dbUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", s.dbPassword());
        env.put("ADSYNC_ENCRYPTION_KEY", encryptionKey);
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        return env;
    }

    // ---- fixtures, domains, jobs -------------------------------------------------------------------------

    public Fixture big() throws IOException {
        return fixture("big", s.bigUsers(), s.bigFixtureEnv());
    }

    public Fixture small() throws IOException {
        return fixture("small", s.smallUsers(), s.smallFixtureEnv());
    }

    private Fixture fixture(String name, int users, Path env) throws IOException {
        Fixture f = fixtures.get(name);
        if (f == null) {
            f = Fixture.load(name, users, env);
            fixtures.put(name, f);
        }
        return f;
    }

    /** The domain of a fixture DC (LDAPS, its CA, page size 1,000), created through the API the first time. */
    public UUID domain(Fixture f) throws IOException, InterruptedException {
        UUID id = domains.get(f.name());
        if (id == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", "bench-" + f.name() + "-" + f.users());
            body.put("hosts", List.of(f.ip()));
            body.put("security", "LDAPS");
            body.put("caCertificatePem", f.caPem());
            body.put("bindDn", f.get("AD_BIND_DN"));
            body.put("bindPassword", f.get("AD_BIND_PASSWORD"));
            body.put("baseDn", f.get("AD_SYNC_BASE_DN"));
            body.put("pageSize", 1000);
            body.put("connectTimeoutSeconds", 5);
            body.put("readTimeoutSeconds", 120);
            id = UUID.fromString(api().post("/domains", body).get("id").asText());
            domains.put(f.name(), id);
        }
        return id;
    }

    /** A manual-only job of the fixture's domain, created through the API the first time. */
    public UUID job(Fixture f) throws IOException, InterruptedException {
        UUID id = jobs.get(f.name());
        if (id == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", "bench-sync-" + f.name());
            body.put("domainId", domain(f).toString());
            body.put("requeueOnFailure", false);
            body.put("schedule", Map.of("type", "MANUAL"));
            id = UUID.fromString(api().post("/jobs", body).get("id").asText());
            jobs.put(f.name(), id);
        }
        return id;
    }

    /** Queues a run of {@code job} through the API ({@code {"mode": mode}}, or {} for the job's choice). */
    public UUID queueRun(UUID job, String mode) throws IOException, InterruptedException {
        Map<String, Object> body = mode == null ? Map.of() : Map.of("mode", mode);
        return UUID.fromString(api().post("/jobs/" + job + "/runs", body).get("id").asText());
    }

    /** Polls the database (every 10 ms) until the run has ended. */
    public RunRecord awaitRun(UUID run, Duration timeout) throws SQLException, InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("""
                SELECT state, created_at, started_at, finished_at, stats::text, details::text, mode, error_message
                  FROM job_run WHERE id = ?""")) {
            ps.setObject(1, run);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String state = rs.getString(1);
                        if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
                            return new RunRecord(run, state, instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3)),
                                    instant(rs.getTimestamp(4)), tree(rs.getString(5)), tree(rs.getString(6)),
                                    rs.getString(7), rs.getString(8));
                        }
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new IOException("run " + run + " did not end within " + timeout);
    }

    /** Queues a run and waits for it; anything but SUCCEEDED is an error. */
    public RunRecord runToSuccess(UUID job, String mode, Duration timeout) throws Exception {
        RunRecord r = awaitRun(queueRun(job, mode), timeout);
        if (!r.state().equals("SUCCEEDED")) {
            throw new IllegalStateException("run " + r.id() + " ended " + r.state() + ": " + r.error());
        }
        return r;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static JsonNode tree(String json) throws IOException {
        return json == null ? null : Api.JSON.readTree(json);
    }

    // ---- processes -----------------------------------------------------------------------------------------

    /** The api-service (started at the first call): it also applies the migrations. */
    public Api api() throws IOException, InterruptedException {
        if (api == null) {
            Map<String, String> env = appEnv();
            int managementPort = nextPort++;
            env.put("QUARKUS_HTTP_PORT", Integer.toString(s.apiPort()));
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            env.put("ADSYNC_API_KEYS", "admin:" + sha256Hex(apiKey));
            apiProcess = track(JvmProcess.start("api", s.java(), List.of("-Xmx512m"),
                    List.of("-jar", s.root().resolve("api-service/target/quarkus-app/quarkus-run.jar").toString()),
                    env, s.work().resolve("logs/api.log")));
            apiProcess.awaitHttpOk("http://127.0.0.1:" + managementPort + "/q/health/ready", Duration.ofSeconds(120));
            api = new Api("http://127.0.0.1:" + s.apiPort(), apiKey);
        }
        return api;
    }

    public JvmProcess apiProcess() {
        return apiProcess;
    }

    /** A real sync-worker process (the packaged app) named {@code name}, ready when this returns. */
    public JvmProcess startSyncWorker(String name, List<String> jvmOptions, Map<String, String> extraEnv) throws IOException, InterruptedException {
        api(); // migrations first
        int port = nextPort++;
        Map<String, String> env = appEnv();
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(port)); // its only HTTP port: health and metrics
        env.put("ADSYNC_WORKER_SERVER_NAME", name);
        env.putAll(extraEnv);
        JvmProcess p = track(JvmProcess.start(name, s.java(), jvmOptions,
                List.of("-jar", s.root().resolve("sync-worker/target/quarkus-app/quarkus-run.jar").toString()),
                env, s.work().resolve("logs/" + name + ".log")));
        p.awaitHttpOk("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(120));
        return p;
    }

    /** Starts a JVM on the bench module's own classpath (e.g. the no-op claim worker). */
    public JvmProcess startBenchJvm(String name, List<String> jvmOptions, String mainClass, List<String> args,
                                    Map<String, String> env) throws IOException {
        List<String> main = new ArrayList<>();
        main.add("-cp");
        main.add(s.root().resolve("bench/target/classes") + ":" + s.root().resolve("bench/target/lib") + "/*");
        main.add(mainClass);
        main.addAll(args);
        return track(JvmProcess.start(name, s.java(), jvmOptions, main, env, s.work().resolve("logs/" + name + ".log")));
    }

    private JvmProcess track(JvmProcess p) {
        started.add(p);
        return p;
    }

    static String sha256Hex(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (JvmProcess p : started.reversed()) {
            try {
                p.stop(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
