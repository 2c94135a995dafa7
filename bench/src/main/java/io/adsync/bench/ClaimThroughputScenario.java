package io.adsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 5, claim throughput: 5,000 jobs (each on its own domain, so all may run in parallel) become due in one
 * transaction, and four worker JVMs ({@link NoopWorkerMain}: the production {@code Worker} with a no-op executor)
 * claim, execute and complete them. Runs/s = 5,000 / (last run's finished_at - the commit that made them due),
 * both from the database clock. Four warm-up rounds (see {@link #warmUpRounds()}), then {@code runs} measured
 * rounds; each round's runs are checked after it (the history stays, as in production). Duplicates: an executor
 * called twice for a (job, round), or more than one SUCCEEDED run of a job in a round; the target needs 0. Per
 * round it also prints what a run cost ({@link Usage}): CPU of the worker JVMs and of PostgreSQL, commits and row
 * writes.
 */
public final class ClaimThroughputScenario implements Scenario {

    static final int JOBS = 5_000;
    static final int WORKERS = 4;
    /**
     * Runs per worker at once, raised from the default 2 as an operator of many short jobs would: the most that
     * keeps the pools of 4 workers (concurrency + 2 each), their LISTEN connections and the API's pool (20) within
     * PostgreSQL's default max_connections of 100.
     */
    static final int CONCURRENCY = 16;
    /** Connections per worker pool: one per run thread, plus the claim loop and the heartbeat timer. */
    static final int POOL = CONCURRENCY + 2;
    static final double TARGET_RUNS_PER_SECOND = 2_000;
    private static final String PREFIX = "claim-bench-";
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(3);

    /** What one round measured and found. */
    record Round(double runsPerSecond, double seconds, long dbDuplicates, long notSucceeded, Map<UUID, UUID> runToJob,
                 Usage.Delta usage) {
    }

    @Override
    public boolean covers(Set<Integer> wanted) {
        return wanted.contains(5);
    }

    @Override
    public List<Row> run(BenchContext ctx, Set<Integer> wanted) throws Exception {
        ctx.api(); // migrations
        List<JvmProcess> workers = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            createJobs(ctx);
            for (int i = 1; i <= WORKERS; i++) {
                Path out = ctx.work().resolve("claim/noop-" + i + ".csv");
                Files.deleteIfExists(out);
                outputs.add(out);
                List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
                jvm.addAll(extraJvmOptions(i));
                workers.add(ctx.startBenchJvm("noop-worker-" + i, jvm, NoopWorkerMain.class.getName(),
                        List.of(PREFIX + i, Integer.toString(CONCURRENCY), Integer.toString(POOL), out.toString()), ctx.appEnv()));
            }
            awaitServers(ctx, workers);

            int warmUps = warmUpRounds();
            List<Round> rounds = new ArrayList<>();
            for (int r = 0; r < warmUps + ctx.runs(); r++) {
                Round round = round(ctx, workers);
                System.out.printf("    round %d%s: %,.0f runs/s (%.2f s); per run: %s%n", r, r < warmUps ? " (warm-up)" : "",
                        round.runsPerSecond(), round.seconds(), round.usage());
                rounds.add(round);
            }
            List<Round> measured = rounds.subList(warmUps, rounds.size());
            for (JvmProcess w : workers) {
                w.stop(Duration.ofSeconds(60));
            }
            Map<UUID, Integer> roundOf = new HashMap<>();
            for (int r = 0; r < rounds.size(); r++) {
                for (UUID run : rounds.get(r).runToJob().keySet()) {
                    roundOf.put(run, r);
                }
            }
            Executions ex = Executions.read(outputs, roundOf);
            long dbDuplicates = rounds.stream().mapToLong(Round::dbDuplicates).sum();
            long notSucceeded = rounds.stream().mapToLong(Round::notSucceeded).sum();
            long expected = (long) JOBS * rounds.size();
            long duplicates = ex.duplicates() + dbDuplicates;

            List<Row> rows = new ArrayList<>();
            if (warmUps > 0) {
                rows.add(Row.of("5.claim-throughput.cold", "5. claim throughput, first round after the workers start (cold JIT)",
                        "runs/s", List.of(rounds.get(0).runsPerSecond())).notes("not counted: the JVMs are still compiling"));
            }
            List<Double> samples = measured.stream().map(Round::runsPerSecond).toList();
            Row row = Row.of("5.claim-throughput", "5. claim throughput (5,000 due, 4 workers, no-op)", "runs/s", samples);
            boolean ok = row.median() >= TARGET_RUNS_PER_SECOND && duplicates == 0 && notSucceeded == 0
                    && ex.total() == expected;
            rows.add(row.target(">= 2,000 runs/s, 0 duplicates", ok)
                    .notes(String.format("%d duplicates; %d worker JVMs, concurrency %d, pool %d (validate on borrow), "
                                    + "else production defaults; a domain per job; due in one UPDATE + NOTIFY; "
                                    + "%d warm-up round(s); last round per run: %s", duplicates, WORKERS, CONCURRENCY,
                            POOL, warmUps, rounds.getLast().usage()))
                    .fact("duplicates", duplicates)
                    .fact("duplicateExecutions", ex.duplicates())
                    .fact("duplicateSucceededRunsInDb", dbDuplicates)
                    .fact("runsNotSucceeded", notSucceeded)
                    .fact("executions", ex.total())
                    .fact("executionsExpected", expected)
                    .fact("executionsOfUnknownRuns", ex.unknown())
                    .fact("executionsPerWorker", ex.perWorker())
                    .fact("secondsPerRound", measured.stream().map(Round::seconds).toList())
                    .fact("warmUpRounds", warmUps)
                    .fact("warmUpRunsPerSecond", rounds.subList(0, warmUps).stream().map(Round::runsPerSecond).toList())
                    .fact("perRun", measured.stream().map(r -> r.usage().toString()).toList())
                    .fact("workers", WORKERS).fact("concurrency", CONCURRENCY).fact("poolSize", POOL));
            return rows;
        } finally {
            for (JvmProcess w : workers) {
                w.stop(Duration.ofSeconds(60));
            }
            cleanUp(ctx);
        }
    }

    /**
     * ADSYNC_BENCH_CLAIM_WARMUP_ROUNDS, default 4. Four fresh JVMs on two cores are still JIT-compiling for several
     * rounds (C2 took ~60% of their CPU in rounds 1-3), so the measured rounds come after four warm-up rounds: they
     * measure the claim machinery of workers that have been up for a while, as in production, not the JIT. The
     * first warm-up round is reported on its own line.
     */
    private static int warmUpRounds() {
        String v = System.getenv("ADSYNC_BENCH_CLAIM_WARMUP_ROUNDS");
        return v == null || v.isBlank() ? 4 : Math.max(0, Integer.parseInt(v.strip()));
    }

    /**
     * ADSYNC_BENCH_NOOP_JVM_OPTS, for profiling the workers: extra JVM options, {@code {n}} replaced by the worker's
     * number (e.g. {@code -XX:StartFlightRecording=filename=/tmp/noop-{n}.jfr,settings=profile}).
     */
    private static List<String> extraJvmOptions(int n) {
        String opts = System.getenv("ADSYNC_BENCH_NOOP_JVM_OPTS");
        if (opts == null || opts.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(opts.strip().split("\\s+")).map(o -> o.replace("{n}", Integer.toString(n))).toList();
    }

    /** 5,000 domains and one job on each: a 1-day TIME_SPAN schedule whose first run is a day away, as the API writes it. */
    private static void createJobs(BenchContext ctx) throws SQLException {
        try (Connection c = ctx.db(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("""
                    INSERT INTO ad_domain (id, name, hosts, port, security, bind_dn, bind_password_enc, base_dn, user_filter,
                                           page_size, connect_timeout_seconds, read_timeout_seconds, created_at, updated_at)
                    SELECT gen_random_uuid(), '%1$s' || lpad(i::text, 5, '0') || '.test', ARRAY['127.0.0.1'], 389, 'NONE',
                           'cn=bench', '\\x00'::bytea, 'dc=bench', '(objectClass=user)', 1000, 5, 5, now(), now()
                      FROM generate_series(1, %2$d) AS i
                    """.formatted(PREFIX, JOBS));
            st.execute("""
                    INSERT INTO sync_job (id, type, name, domain_id, sync_all_domains, requeue_on_failure, enabled, schedule,
                                          next_run_at, max_deactivations, max_deactivation_percent, full_sync_interval,
                                          created_at, updated_at)
                    SELECT gen_random_uuid(), 'AD_SYNC', d.name, d.id, false, false, true,
                           '{"type":"TIME_SPAN","runWhen":"AFTER_INTERVAL","interval":"P1D"}'::jsonb,
                           now() + interval '1 day', 500, 20, interval '1 day', now(), now()
                      FROM ad_domain d WHERE d.name LIKE '%s%%'
                    """.formatted(PREFIX));
            c.commit();
            c.setAutoCommit(true);
            st.execute("VACUUM ANALYZE ad_domain");
            st.execute("VACUUM ANALYZE sync_job");
        }
    }

    private static void awaitServers(BenchContext ctx, List<JvmProcess> workers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Connection c = ctx.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM job_server WHERE name LIKE ? AND last_heartbeat_at IS NOT NULL AND can_be_job_server")) {
            ps.setString(1, PREFIX + "%");
            while (System.nanoTime() < deadline) {
                for (JvmProcess w : workers) {
                    if (!w.isAlive()) {
                        throw new IOException(w.name() + " exited with " + w.exitValue() + "; see " + w.log());
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == WORKERS) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("the " + WORKERS + " no-op workers did not register within 90 s; see " + ctx.work().resolve("logs"));
    }

    /** Makes every job due in one transaction, waits until each has a run that ended, and checks those runs. */
    private static Round round(BenchContext ctx, List<JvmProcess> workers) throws Exception {
        Instant dueAt;
        Instant committedAt;
        Usage before = Usage.take(ctx, workers);
        try (Connection c = ctx.db(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            // NOTIFY per job, as the API's job update does (WorkerSignals.wakeUp); delivered on commit.
            st.executeUpdate("UPDATE sync_job SET next_run_at = now() WHERE name LIKE '" + PREFIX + "%'");
            st.execute("SELECT count(pg_notify('adsync_wakeup', id::text)) FROM sync_job WHERE name LIKE '" + PREFIX + "%'");
            try (ResultSet rs = st.executeQuery("SELECT now(), clock_timestamp()")) {
                rs.next();
                dueAt = rs.getTimestamp(1).toInstant();
                committedAt = rs.getTimestamp(2).toInstant(); // the last moment before COMMIT
            }
            c.commit();
        }
        Instant last = awaitAllEnded(ctx, workers, dueAt);
        Thread.sleep(1000); // a duplicate claim or a second execution would show up now (and the statistics are flushed)
        Usage.Delta usage = Usage.take(ctx, workers).minus(before, JOBS);
        double seconds = Duration.between(committedAt, last).toNanos() / 1e9;

        Map<UUID, UUID> runToJob = new HashMap<>();
        Map<UUID, Integer> succeededPerJob = new HashMap<>();
        long notSucceeded = 0;
        try (Connection c = ctx.db(); PreparedStatement ps = c.prepareStatement("""
                SELECT r.id, r.job_id, r.state FROM job_run r JOIN sync_job j ON j.id = r.job_id
                 WHERE j.name LIKE ? AND r.created_at >= ?""")) {
            ps.setString(1, PREFIX + "%");
            ps.setTimestamp(2, Timestamp.from(dueAt));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID run = rs.getObject(1, UUID.class);
                    UUID job = rs.getObject(2, UUID.class);
                    runToJob.put(run, job);
                    if (rs.getString(3).equals("SUCCEEDED")) {
                        succeededPerJob.merge(job, 1, Integer::sum);
                    } else {
                        notSucceeded++;
                    }
                }
            }
        }
        long dbDuplicates = succeededPerJob.values().stream().mapToLong(n -> n - 1).sum();
        if (succeededPerJob.size() != JOBS) {
            System.out.printf("    only %d of %d jobs have a SUCCEEDED run; see the worker logs%n", succeededPerJob.size(), JOBS);
        }
        settle(ctx);
        return new Round(JOBS / seconds, seconds, dbDuplicates, notSucceeded, runToJob, usage);
    }

    /**
     * Polls until every job has a run created after {@code dueAt} that ended (SUCCEEDED, or not: a failure ends the
     * round too, and is reported) and none is queued or running; returns the last finished_at.
     */
    private static Instant awaitAllEnded(BenchContext ctx, List<JvmProcess> workers, Instant dueAt) throws Exception {
        long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
        try (Connection c = ctx.db(); PreparedStatement ps = c.prepareStatement("""
                SELECT count(DISTINCT r.job_id) FILTER (WHERE r.state NOT IN ('QUEUED', 'RUNNING')),
                       count(*) FILTER (WHERE r.state IN ('QUEUED', 'RUNNING')), max(r.finished_at)
                  FROM job_run r JOIN sync_job j ON j.id = r.job_id
                 WHERE j.name LIKE ? AND r.created_at >= ?""")) {
            ps.setString(1, PREFIX + "%");
            ps.setTimestamp(2, Timestamp.from(dueAt));
            long done = 0;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    done = rs.getLong(1);
                    if (done == JOBS && rs.getLong(2) == 0) {
                        return rs.getTimestamp(3).toInstant();
                    }
                }
                for (JvmProcess w : workers) {
                    if (!w.isAlive()) {
                        throw new IOException(w.name() + " died; see " + w.log());
                    }
                }
                Thread.sleep(50);
            }
            throw new IOException("only " + done + " of " + JOBS + " jobs had a run that ended within " + ROUND_TIMEOUT);
        }
    }

    /**
     * Between rounds the run history stays, as in production (an emptied job_run, analysed as empty, would make
     * the planner read it sequentially as it fills up again); the tables are vacuumed and analysed, as
     * autovacuum would have done by the next burst.
     */
    private static void settle(BenchContext ctx) throws SQLException {
        try (Connection c = ctx.db(); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE job_run");
            st.execute("VACUUM ANALYZE sync_job");
            st.execute("VACUUM ANALYZE domain_lease");
        }
    }

    private static void cleanUp(BenchContext ctx) throws SQLException {
        try (Connection c = ctx.db(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM job_run r USING sync_job j WHERE j.id = r.job_id AND j.name LIKE '" + PREFIX + "%'");
            st.executeUpdate("DELETE FROM sync_job WHERE name LIKE '" + PREFIX + "%'");
            st.executeUpdate("DELETE FROM ad_domain WHERE name LIKE '" + PREFIX + "%'");
            st.executeUpdate("DELETE FROM job_server WHERE name LIKE '" + PREFIX + "%'");
        }
    }

    /** What the executors recorded, checked against the runs of each round. */
    record Executions(long total, long duplicates, long unknown, Map<String, Long> perWorker) {

        static Executions read(List<Path> outputs, Map<UUID, Integer> roundOf) throws IOException {
            Map<String, Integer> perJobRound = new HashMap<>();
            Map<UUID, Integer> perRun = new HashMap<>();
            Map<String, Long> perWorker = new LinkedHashMap<>();
            long total = 0;
            long unknown = 0;
            for (Path out : outputs) {
                if (!Files.exists(out)) {
                    throw new IOException(out + " missing: a no-op worker did not shut down cleanly");
                }
                long n = 0;
                for (String line : Files.readAllLines(out)) {
                    String[] f = line.split(",");
                    UUID run = UUID.fromString(f[0]);
                    Integer round = roundOf.get(run);
                    if (round == null) {
                        unknown++;
                    } else {
                        perJobRound.merge(f[1] + "/" + round, 1, Integer::sum);
                    }
                    perRun.merge(run, 1, Integer::sum);
                    n++;
                }
                perWorker.put(out.getFileName().toString().replace(".csv", ""), n);
                total += n;
            }
            long dupJobRound = perJobRound.values().stream().mapToLong(n -> n - 1).sum();
            long dupRun = perRun.values().stream().mapToLong(n -> n - 1).sum();
            // a run executed twice is also a (job, round) repeat; unknown runs are not supposed to exist at all
            return new Executions(total, Math.max(dupJobRound, dupRun) + unknown, unknown, perWorker);
        }
    }
}
