package io.adsync.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scenarios 2, 3 and 6 on the big directory, through the real sync-worker process (the packaged app), each run
 * queued through the API and timed from its claim to SUCCEEDED (job_run.started_at to finished_at, both the
 * database's clock):
 * <ul>
 *   <li>2: full sync into an empty account table (emptied with TRUNCATE before each run); the worker's first run
 *       after its start is reported on its own line (cold JIT), then {@code runs} warm runs;</li>
 *   <li>3: full resync of the unchanged directory; rows written = account row versions created by the run
 *       (rows whose xmin is a transaction that began after the run was queued), which must be 0;</li>
 *   <li>6: the worker's peak RSS and largest heap after GC during scenario 2, then scenario 2 again in a fresh
 *       worker started with {@code -Xmx64m}.</li>
 * </ul>
 * The worker runs with {@code -Xmx768m}: the heap the Kubernetes manifests give it (75% of a 1 GiB limit).
 */
public final class FullSyncScenarios implements Scenario {

    static final List<String> WORKER_JVM = List.of("-Xmx768m", "-XX:+ExitOnOutOfMemoryError");
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    @Override
    public boolean covers(Set<Integer> wanted) {
        return wanted.contains(2) || wanted.contains(3) || wanted.contains(6);
    }

    @Override
    public List<Row> run(BenchContext ctx, Set<Integer> wanted) throws Exception {
        Fixture big = ctx.big();
        UUID job = ctx.job(big);
        long users = RawReadScenario.search(big); // what a first sync must create (also warms the DC up)
        double raw = RawReadScenario.rawReadSeconds;
        List<Row> rows = new ArrayList<>();

        Path gc = ctx.work().resolve("logs/bench-sync-gc.log");
        List<String> jvm = new ArrayList<>(WORKER_JVM);
        jvm.add(WorkerMemory.gcLogOption(gc));
        JvmProcess worker = ctx.startSyncWorker("bench-sync", jvm, Map.of());
        WorkerMemory mem = new WorkerMemory(worker, gc);
        List<Double> first = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        try {
            // 2: first full sync, the cold one, then warm ones
            BenchContext.RunRecord cold = firstSync(ctx, job, users, mem, rss, heap);
            for (int i = 0; i < ctx.runs(); i++) {
                first.add(firstSync(ctx, job, users, mem, rss, heap).claimToEndSeconds());
            }
            if (wanted.contains(2)) {
                rows.add(Row.of("2.first-full-sync.cold", "2. first full sync, worker's first run after start (cold JIT)",
                        "s", List.of(cold.claimToEndSeconds())).notes(perSecond(users, cold.claimToEndSeconds())));
                Row r = Row.of("2.first-full-sync", "2. first full sync into an empty database", "s", first);
                rows.add(ratioTarget(r, raw, 2.0).notes(perSecond(users, r.median()) + ratioNote(r, raw)));
            }

            // 3: the same directory again, nothing changed
            if (wanted.contains(3)) {
                // what autovacuum would have done by now in production (it is off on this machine's PostgreSQL)
                vacuumAnalyze(ctx);
                List<Double> resync = new ArrayList<>();
                long written = 0;
                long reported = 0;
                for (int i = 0; i < ctx.runs(); i++) {
                    long xid = currentXid(ctx);
                    BenchContext.RunRecord r = ctx.runToSuccess(job, "FULL", RUN_TIMEOUT);
                    resync.add(r.claimToEndSeconds());
                    written += rowsWrittenSince(ctx, xid);
                    reported += r.stat("created") + r.stat("updated") + r.stat("deactivated") + r.stat("reactivated");
                    if (r.stat("unchanged") != users) {
                        throw new IllegalStateException("resync " + r.id() + " found " + r.stat("unchanged") + " unchanged, expected " + users);
                    }
                }
                Row r = Row.of("3.no-change-resync", "3. full resync, nothing changed", "s", resync)
                        .fact("rowsWritten", written).fact("changesReported", reported);
                Row t = ratioTarget(r, raw, 1.3);
                boolean ok = t.met() != null && t.met() && written == 0;
                rows.add(t.target(t.target() + ", 0 rows written", ok)
                        .notes(written + " account rows written in " + resync.size() + " runs; " + perSecond(users, r.median()) + ratioNote(r, raw)));
            }
        } finally {
            worker.stop(Duration.ofSeconds(40));
        }

        if (wanted.contains(6)) {
            rows.add(Row.of("6.peak-rss", "6. worker peak RSS during a first full sync (-Xmx768m)", "MiB", rss)
                    .notes("VmHWM of the worker process, reset before each run"));
            rows.add(Row.of("6.heap-after-gc", "6. largest heap after GC during a first full sync", "MiB", heap)
                    .notes("from the worker's -Xlog:gc"));
            rows.addAll(smallHeap(ctx, users, job));
        }
        return rows;
    }

    /** Scenario 6's second half: first full syncs in a fresh worker that has only 64 MiB of heap. */
    private List<Row> smallHeap(BenchContext ctx, long users, UUID job) throws Exception {
        Path gc = ctx.work().resolve("logs/bench-sync-64m-gc.log");
        JvmProcess worker = ctx.startSyncWorker("bench-sync-64m",
                List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError", WorkerMemory.gcLogOption(gc)), Map.of());
        WorkerMemory mem = new WorkerMemory(worker, gc);
        List<Double> secs = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        boolean ok = true;
        String failure = "";
        try {
            for (int i = 0; i < Math.min(3, ctx.runs()); i++) {
                emptyAccounts(ctx);
                mem.reset();
                BenchContext.RunRecord r = ctx.awaitRun(ctx.queueRun(job, "FULL"), RUN_TIMEOUT);
                if (!r.state().equals("SUCCEEDED") || !worker.isAlive()) {
                    ok = false;
                    failure = "run " + r.id() + " ended " + r.state() + (worker.isAlive() ? "" : " and the worker died") + ": " + r.error();
                    break;
                }
                checkFirstSync(r, users);
                secs.add(r.claimToEndSeconds());
                rss.add(mem.peakRssMib());
                heap.add(mem.maxHeapAfterGcMib());
            }
        } finally {
            worker.stop(Duration.ofSeconds(40));
        }
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of("6.xmx64m.first-full-sync", "6. first full sync in a worker with -Xmx64m", "s", secs)
                .target("succeeds", ok).notes(ok ? "all runs SUCCEEDED, " + String.format("%,d", users) + " accounts each" : failure));
        rows.add(Row.of("6.xmx64m.peak-rss", "6. peak RSS of the -Xmx64m worker during that sync", "MiB", rss));
        rows.add(Row.of("6.xmx64m.heap-after-gc", "6. largest heap after GC of the -Xmx64m worker", "MiB", heap));
        return rows;
    }

    /** One first full sync into an emptied account table; adds the worker's peak RSS and heap after GC during it. */
    private static BenchContext.RunRecord firstSync(BenchContext ctx, UUID job, long users, WorkerMemory mem,
                                                    List<Double> rss, List<Double> heap) throws Exception {
        emptyAccounts(ctx);
        mem.reset();
        BenchContext.RunRecord r = ctx.runToSuccess(job, "FULL", RUN_TIMEOUT);
        checkFirstSync(r, users);
        rss.add(mem.peakRssMib());
        heap.add(mem.maxHeapAfterGcMib());
        return r;
    }

    private static void checkFirstSync(BenchContext.RunRecord r, long users) {
        if (r.stat("created") != users || r.stat("errors") != 0) {
            throw new IllegalStateException("first sync " + r.id() + " stats " + r.stats() + ", expected created=" + users);
        }
    }

    static Row ratioTarget(Row r, double raw, double factor) {
        if (Double.isNaN(raw)) {
            return r.target("<= " + factor + "x raw read (scenario 1 not run)", false);
        }
        return r.target(String.format("<= %.1fx raw read (%.2f s)", factor, raw * factor), r.median() <= raw * factor);
    }

    static String ratioNote(Row r, double raw) {
        return Double.isNaN(raw) ? "" : String.format("; %.2fx the raw read", r.median() / raw);
    }

    static String perSecond(long users, double seconds) {
        return String.format("%,.0f users/s", users / seconds);
    }

    /** An empty database for a first sync: no accounts, groups or watermarks (TRUNCATE, so no dead rows either). */
    static void emptyAccounts(BenchContext ctx) throws Exception {
        try (Connection c = ctx.db(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE account, ad_group, group_membership, group_nesting, domain_watermark CASCADE");
            st.execute("VACUUM ANALYZE account");
        }
    }

    static void vacuumAnalyze(BenchContext ctx) throws Exception {
        try (Connection c = ctx.db(); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE account");
        }
    }

    static long currentXid(BenchContext ctx) throws Exception {
        try (Connection c = ctx.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Account row versions written by transactions that started after {@code xid} (xmin compared in its epoch). */
    static long rowsWrittenSince(BenchContext ctx, long xid) throws Exception {
        try (Connection c = ctx.db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM account WHERE xmin::text::bigint > " + (xid & 0xFFFFFFFFL))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
