package io.adsync.bench;

import io.adsync.worker.sync.AdUser;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Scenario 7, API latency at a fixed request rate: {@code GET /jobs} (the default page) and
 * {@code GET /accounts?q=<term>} (the free-text search, rotating through terms that match one account, a handful
 * and none) against the big directory's ~20,000 accounts, each driven open-loop by {@link FixedRateLoad} up a
 * ladder of rates. A rung is <em>held</em> when, over {@code ctx.runs()} runs, every request was sent on time and
 * answered 2xx, every run's answers kept up with 99 % of the rate, and the median of the runs' p99 is at most
 * {@value #P99_BOUND_MS} ms. The ladder stops at the first rung not held; the rows report the highest rung held
 * and p50/p99 there, the facts every rung run. Each rung starts with {@link #WARM_UP} at its rate, not measured
 * ({@link #FIRST_RUNG_WARM_UP} on the first).
 *
 * <p>Before the ladders, a closed-loop warm-up of both endpoints lasts until the API's JIT compiler threads are
 * nearly idle (see {@link #warmUp}). Every run also records the CPU time the API process (and, of that, its JIT
 * compiler threads) and the database's PostgreSQL backends spent per request: unlike latency, that barely depends
 * on what else the machine is doing, so it is the figure to compare between machines and versions.
 *
 * <p>Data: after the sync scenarios the big domain's accounts are already in the table; run alone, the scenario
 * creates the big domain through the API and inserts accounts shaped like deploy/samba-ad/gen-users.py's users
 * (user00000..., 10 % disabled) with SQL. It creates {@value #JOBS} jobs through the API (manual, cron, weekly and
 * disabled ones; none comes due during the benchmark).
 */
public final class ApiLatencyScenario implements Scenario {

    /** The rates tried, in requests per second, each until one is not held. */
    static final double[] LADDER = {100, 250, 500, 1000, 2000};
    /** A held rate's p99 (median over the runs) is at most this: a list page a person waits for. */
    static final double P99_BOUND_MS = 50;
    /** A held rate's runs each got at least this share of the rate's 2xx answers within the run. */
    static final double KEEP_UP = 0.99;
    static final Duration MIN_WARM_UP = Duration.ofSeconds(10);
    static final Duration MAX_WARM_UP = Duration.ofSeconds(15);
    /** After the warm-up's load, idle until the JIT threads use less than this per second, at most {@link #MAX_SETTLE}. */
    static final double SETTLED_JIT_MS_PER_SECOND = 50;
    static final Duration MAX_SETTLE = Duration.ofSeconds(10);
    static final Duration WARM_UP_WINDOW = Duration.ofSeconds(3);
    /** The JIT compiler threads are done enough when they use less than this share of the API's CPU time. */
    static final double JIT_QUIET = 0.10;
    static final int WARM_UP_SENDERS = 8;
    /** Each rung: this long at its rate first (not measured), then {@code ctx.runs()} runs of {@link #MEASURE}. */
    static final Duration WARM_UP = Duration.ofSeconds(1);
    /**
     * The first rung of each ladder warms longer: one endpoint alone, open loop, after the mixed closed-loop
     * warm-up, makes the JIT deoptimise and recompile part of the request path once more.
     */
    static final Duration FIRST_RUNG_WARM_UP = Duration.ofSeconds(5);
    static final Duration MEASURE = Duration.ofSeconds(3);
    /** More requests waiting for answers than this and the next is dropped (an error of the run). */
    static final int MAX_IN_FLIGHT = 256;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A rung not held is annotated when the generator's scheduler thread was this late sending a request. */
    static final double SEND_LAG_NOTE_MS = 20;
    static final int JOBS = 30;

    /** A search term and how many accounts it should find among gen-users.py's users: exactly, or at least/most. */
    record Term(String q, int min, int max) {
    }

    static final List<Term> TERMS = List.of(
            new Term("user04217", 1, 1),        // one: username (and its mail)
            new Term("USER17001", 1, 1),        // one, other case
            new Term("user1234", 10, 10),       // a handful: user12340..user12349
            new Term("greta novak", 2, 40),     // a handful by display name (one of 900 given/surname pairs)
            new Term("no-such-user", 0, 0),     // none
            new Term("zzq", 0, 0));             // none, a short term

    /** One rung of the ladder: its runs and, per run, the CPU the API process and its PostgreSQL backends used. */
    private record Step(double rate, List<FixedRateLoad.Result> runs, List<double[]> cpuMsPerRequest, boolean held, String why) {
        double medianP99() {
            return Row.median(runs.stream().map(FixedRateLoad.Result::p99).toList());
        }

        double medianCpu(int which) {
            return Row.median(cpuMsPerRequest.stream().map(c -> c[which]).toList());
        }
    }

    private record Endpoint(String id, String label, List<HttpRequest> requests) {
    }

    @Override
    public boolean covers(Set<Integer> wanted) {
        return wanted.contains(7);
    }

    @Override
    public List<Row> run(BenchContext ctx, Set<Integer> wanted) throws Exception {
        Fixture f = ctx.big();
        Api api = ctx.api();
        UUID domain = ctx.domain(f);
        String accountsSource = ensureAccounts(ctx, domain, f.users());
        long accounts = count(ctx, "SELECT count(*) FROM account");
        int jobs = createJobs(ctx, domain);
        long jobRows = count(ctx, "SELECT count(*) FROM sync_job");
        System.out.printf("    %,d accounts (%s), %d jobs%n", accounts, accountsSource, jobRows);

        for (Term t : TERMS) {
            long total = api.get("/accounts?q=" + encode(t.q())).get("total").asLong();
            if (total < t.min() || total > t.max()) {
                throw new IllegalStateException("GET /accounts?q=" + t.q() + " found " + total + " accounts, expected "
                        + t.min() + ".." + t.max() + ": the accounts are not shaped like gen-users.py's");
            }
        }
        String[] headers = {"Authorization", "Bearer " + api.key(), "Accept", "application/json"};
        List<Row> rows = new ArrayList<>();
        try (FixedRateLoad load = new FixedRateLoad(MAX_IN_FLIGHT, TIMEOUT)) {
            Endpoint jobsEp = new Endpoint("jobs", "GET /jobs", List.of(load.get(URI.create(api.base() + "/jobs"), headers)));
            List<HttpRequest> searches = TERMS.stream()
                    .map(t -> load.get(URI.create(api.base() + "/accounts?q=" + encode(t.q())), headers)).toList();
            Endpoint accountsEp = new Endpoint("accounts-q", "GET /accounts?q=", searches);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("accounts", accounts);
            data.put("accountsSource", accountsSource);
            data.put("jobs", jobRows);
            data.put("jobsCreatedHere", jobs);
            // a cold API (JIT, pools, connections) first, closed loop: an open-loop start would pile requests up on it
            List<HttpRequest> both = new ArrayList<>(); // as many of each endpoint: GET /jobs, a search, GET /jobs, ...
            for (HttpRequest search : searches) {
                both.add(jobsEp.requests().getFirst());
                both.add(search);
            }
            CpuMeter cpu = new CpuMeter(ctx);
            data.put("warmUp", warmUp(load, cpu, both));
            rows.addAll(ladder(ctx, load, cpu, jobsEp, data));
            data.put("terms", TERMS.stream().map(Term::q).toList());
            rows.addAll(ladder(ctx, load, cpu, accountsEp, data));
        }
        return rows;
    }

    /**
     * Closed loop, {@value #WARM_UP_SENDERS} at a time, in windows of {@link #WARM_UP_WINDOW}, for at least
     * {@link #MIN_WARM_UP} and then until the API's JIT compiler threads have (nearly) finished - less than
     * {@value #JIT_QUIET} of the API process's CPU time in the last window - at most {@link #MAX_WARM_UP};
     * then without load until the compile queue has drained ({@link #SETTLED_JIT_MS_PER_SECOND}). On a busy
     * machine C2 needs a minute or more of load to compile the request path, and its CPU would otherwise be
     * measured as the first rungs' latency, which is not the service's steady state.
     */
    private static Map<String, Object> warmUp(FixedRateLoad load, CpuMeter cpu, List<HttpRequest> requests) throws Exception {
        long t0 = System.nanoTime();
        long ok = 0;
        double jitShare;
        double seconds;
        do {
            long api0 = cpu.apiTicks();
            long jit0 = cpu.jitTicks();
            long[] r = load.warmUp(WARM_UP_WINDOW, WARM_UP_SENDERS, i -> requests.get((int) (i % requests.size())));
            if (r[1] > 0 || r[0] == 0) {
                throw new IllegalStateException(r[1] + " of " + (r[0] + r[1]) + " warm-up requests failed");
            }
            ok += r[0];
            // JIT time as a share of all the API's CPU time: on a busy machine both shrink together
            jitShare = (cpu.jitTicks() - jit0) / (double) Math.max(1, cpu.apiTicks() - api0);
            seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "    warm-up %.0f s: %,d requests (%.0f/s in the last window), JIT compiler threads %.0f %% of the API's CPU%n",
                    seconds, ok, r[0] / (WARM_UP_WINDOW.toMillis() / 1000.0), jitShare * 100);
        } while (seconds < MIN_WARM_UP.toSeconds() || (jitShare > JIT_QUIET && seconds < MAX_WARM_UP.toSeconds()));
        // then no load until the compile queue has drained: the compiler threads no longer compete with requests
        long settle0 = System.nanoTime();
        double jitMsPerSecond;
        do {
            long jit0 = cpu.jitTicks();
            Thread.sleep(1000);
            jitMsPerSecond = (cpu.jitTicks() - jit0) * CpuMeter.MS_PER_TICK;
        } while (jitMsPerSecond > SETTLED_JIT_MS_PER_SECOND && System.nanoTime() - settle0 < MAX_SETTLE.toNanos());
        double settled = (System.nanoTime() - settle0) / 1e9;
        System.out.printf(Locale.ROOT, "    settled %.0f s without load: JIT compiler threads %.0f ms/s%n", settled, jitMsPerSecond);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("requests", ok);
        m.put("jitShareOfApiCpuAtEnd", Math.round(jitShare * 1000) / 1000.0);
        m.put("settleSeconds", Math.round(settled * 10) / 10.0);
        m.put("jitMsPerSecondAfterSettling", jitMsPerSecond);
        return m;
    }

    private List<Row> ladder(BenchContext ctx, FixedRateLoad load, CpuMeter cpu, Endpoint ep, Map<String, Object> data) throws Exception {
        List<HttpRequest> reqs = ep.requests();
        java.util.function.LongFunction<HttpRequest> next = i -> reqs.get((int) (i % reqs.size()));
        List<Step> steps = new ArrayList<>();
        for (double rate : LADDER) {
            FixedRateLoad.Result warm = load.run(rate, steps.isEmpty() ? FIRST_RUNG_WARM_UP : WARM_UP, next);
            System.out.printf("    %s: warm-up  %s%n", ep.label(), warm);
            List<FixedRateLoad.Result> runs = new ArrayList<>();
            List<double[]> cpus = new ArrayList<>();
            String why = null;
            for (int r = 0; r < ctx.runs(); r++) {
                Thread.sleep(200);
                long[] before = cpu.ticks();
                FixedRateLoad.Result res = load.run(rate, MEASURE, next);
                long[] after = cpu.ticks();
                double[] perRequest = {CpuMeter.msPerRequest(before[0], after[0], res.sent()),
                        CpuMeter.msPerRequest(before[1], after[1], res.sent()), CpuMeter.msPerRequest(before[2], after[2], res.sent())};
                System.out.printf(Locale.ROOT, "    %s: run %d/%d %s; CPU per request: API %.2f ms (JIT %.2f), PostgreSQL %.2f ms%n",
                        ep.label(), r + 1, ctx.runs(), res, perRequest[0], perRequest[2], perRequest[1]);
                runs.add(res);
                cpus.add(perRequest);
                if (!res.clean(KEEP_UP)) {
                    why = failure(res);
                    break; // a hard failure: the rung is lost whatever the other runs do
                }
                if (runs.stream().filter(x -> x.p99() > P99_BOUND_MS).count() > ctx.runs() / 2) {
                    break; // most runs over the bound: so is the median, whatever the other runs do
                }
            }
            Step s = new Step(rate, runs, cpus, false, why);
            if (why == null && s.medianP99() > P99_BOUND_MS) {
                why = String.format(Locale.ROOT, "p99 %.1f ms > %.0f ms", s.medianP99(), P99_BOUND_MS);
            }
            double lag = runs.stream().mapToDouble(FixedRateLoad.Result::maxSendLagMs).max().orElse(0);
            if (why != null && lag > SEND_LAG_NOTE_MS) {
                // the generator's own thread was that late: the whole machine stalled, not (only) the API
                why += String.format(Locale.ROOT, " (the load generator itself ran up to %.0f ms late)", lag);
            }
            steps.add(new Step(rate, runs, cpus, why == null, why));
            if (why != null) {
                break;
            }
            Thread.sleep(200);
        }
        return rows(ep, steps, data);
    }

    private static String failure(FixedRateLoad.Result r) {
        List<String> parts = new ArrayList<>();
        if (r.errors() > 0 || r.dropped() > 0) {
            parts.add(r.errors() + " errors and " + r.dropped() + " dropped of " + r.scheduled() + " " + r.errorKinds());
        }
        if (r.achievedRate() < KEEP_UP * r.targetRate()) {
            parts.add(String.format(Locale.ROOT, "achieved %.0f req/s", r.achievedRate()));
        }
        parts.add(String.format(Locale.ROOT, "p99 %.0f ms", r.p99()));
        return String.join(", ", parts);
    }

    private static List<Row> rows(Endpoint ep, List<Step> steps, Map<String, Object> data) {
        Step held = null;
        for (Step s : steps) {
            if (s.held()) {
                held = s;
            }
        }
        Step next = steps.getLast().held() ? null : steps.getLast();
        String beyond = next == null ? "top of the ladder reached"
                : String.format(Locale.ROOT, "at %,.0f req/s: %s", next.rate(), next.why());
        Step shown = held != null ? held : steps.getFirst();
        String at = String.format(Locale.ROOT, "%,.0f req/s", shown.rate());
        String criterion = String.format(Locale.ROOT, "0 errors, >= %.0f %% of rate, p99 <= %.0f ms", KEEP_UP * 100, P99_BOUND_MS);
        List<Map<String, Object>> ladder = new ArrayList<>();
        for (Step s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rate", s.rate());
            m.put("held", s.held());
            if (s.why() != null) {
                m.put("why", s.why());
            }
            List<Map<String, Object>> runs = new ArrayList<>();
            for (int i = 0; i < s.runs().size(); i++) {
                Map<String, Object> r = new LinkedHashMap<>(s.runs().get(i).asMap());
                r.put("apiCpuMsPerRequest", Math.round(s.cpuMsPerRequest().get(i)[0] * 1000) / 1000.0);
                r.put("postgresCpuMsPerRequest", Math.round(s.cpuMsPerRequest().get(i)[1] * 1000) / 1000.0);
                r.put("apiJitCpuMsPerRequest", Math.round(s.cpuMsPerRequest().get(i)[2] * 1000) / 1000.0);
                runs.add(r);
            }
            m.put("runs", runs);
            ladder.add(m);
        }
        String notes = (held == null ? "NOT HELD at " + at + " (" + shown.why() + ")" : "held " + at) + "; " + beyond
                + String.format(Locale.ROOT, "; CPU per request at %s: API %.2f ms, PostgreSQL %.2f ms", at, shown.medianCpu(0), shown.medianCpu(1));
        List<Double> achieved = held == null ? List.of(0.0) : held.runs().stream().map(FixedRateLoad.Result::achievedRate).toList();
        Row rate = Row.of("7." + ep.id() + ".rate", "7. " + ep.label() + " highest fixed rate held (ladder "
                        + ladderText() + ")", "req/s", achieved)
                .target(criterion + " at >= " + String.format(Locale.ROOT, "%,.0f", LADDER[0]) + " req/s", held != null)
                .notes(notes)
                .fact("rateHeld", held == null ? 0 : held.rate())
                .fact("apiCpuMsPerRequest", Math.round(shown.medianCpu(0) * 1000) / 1000.0)
                .fact("postgresCpuMsPerRequest", Math.round(shown.medianCpu(1) * 1000) / 1000.0)
                .fact("criterion", criterion)
                .fact("measureSeconds", MEASURE.toMillis() / 1000.0)
                .fact("rungWarmUpSeconds", WARM_UP.toMillis() / 1000.0)
                .fact("maxInFlight", MAX_IN_FLIGHT)
                .fact("data", new LinkedHashMap<>(data))
                .fact("ladder", ladder);
        Row p50 = Row.of("7." + ep.id() + ".p50", "7. " + ep.label() + " p50 at " + at, "ms",
                shown.runs().stream().map(FixedRateLoad.Result::p50).toList())
                .notes(String.format(Locale.ROOT, "open loop, runs of %.0f s after %.0f s at the rate (%.0f s on the first rung); latency from the intended send time",
                        MEASURE.toMillis() / 1000.0, WARM_UP.toMillis() / 1000.0, FIRST_RUNG_WARM_UP.toMillis() / 1000.0));
        Row p99 = Row.of("7." + ep.id() + ".p99", "7. " + ep.label() + " p99 at " + at, "ms",
                        shown.runs().stream().map(FixedRateLoad.Result::p99).toList())
                .target(String.format(Locale.ROOT, "<= %.0f ms", P99_BOUND_MS), shown.medianP99() <= P99_BOUND_MS)
                .notes(String.format(Locale.ROOT, "p90 %.2f ms, max %.1f ms (medians of the runs)",
                        Row.median(shown.runs().stream().map(FixedRateLoad.Result::p90).toList()),
                        Row.median(shown.runs().stream().map(FixedRateLoad.Result::max).toList())));
        return List.of(rate, p50, p99);
    }

    private static String ladderText() {
        List<String> r = new ArrayList<>();
        for (double v : LADDER) {
            r.add(String.format(Locale.ROOT, "%,.0f", v));
        }
        return String.join("/", r);
    }

    /**
     * CPU time (user + system, /proc/PID/stat) of the API process and of the PostgreSQL backends serving the
     * benchmark database: per request, it does not depend on how busy the rest of the machine is, unlike latency.
     */
    static final class CpuMeter {
        static final double MS_PER_TICK = 10; // USER_HZ = 100 on Linux
        private final long apiPid;
        private final BenchContext ctx;

        CpuMeter(BenchContext ctx) {
            this.ctx = ctx;
            this.apiPid = ctx.apiProcess().pid();
        }

        /** {API ticks, PostgreSQL ticks, API JIT compiler thread ticks} now. */
        long[] ticks() throws Exception {
            long pg = 0;
            try (Connection c = ctx.db(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    pg += ticksOf(rs.getLong(1));
                }
            }
            return new long[] {ticksOf(apiPid), pg, jitTicks()};
        }

        long apiTicks() {
            return ticksOf(apiPid);
        }

        /** CPU ticks of the API's HotSpot JIT compiler threads ("C1 CompilerThre...", "C2 CompilerThre..."). */
        long jitTicks() {
            long t = 0;
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + apiPid + "/task"))) {
                for (java.nio.file.Path task : tasks.toList()) {
                    try {
                        if (java.nio.file.Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                            t += ticksOf(task.resolve("stat"));
                        }
                    } catch (java.io.IOException gone) {
                        // the thread ended
                    }
                }
            } catch (java.io.IOException gone) {
                return 0;
            }
            return t;
        }

        static double msPerRequest(long before, long after, long requests) {
            return requests == 0 ? Double.NaN : (after - before) * MS_PER_TICK / requests;
        }

        private static long ticksOf(long pid) {
            return ticksOf(java.nio.file.Path.of("/proc/" + pid + "/stat"));
        }

        private static long ticksOf(java.nio.file.Path statFile) {
            try {
                String stat = java.nio.file.Files.readString(statFile);
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            } catch (java.io.IOException | RuntimeException gone) {
                return 0; // a backend that ended in between (or no /proc): its ticks are lost, a small undercount
            }
        }
    }

    // ---- data ----------------------------------------------------------------------------------------------

    /**
     * The big domain's accounts: those a sync scenario wrote, or else {@code users} rows shaped like
     * gen-users.py's users. Then VACUUM ANALYZE account, which autovacuum does by itself within a minute or so of a
     * bulk load (20,000 inserts are far over its insert threshold), but the benchmark's PostgreSQL may run without
     * autovacuum. It matters: rows inserted since the last vacuum sit in the GIN pending list of the search index
     * (V5), which every search must read in full, and with a big pending list the planner rightly prefers to scan
     * the table; the measurement is of the steady state, not of the first minute after a sync.
     */
    static String ensureAccounts(BenchContext ctx, UUID domain, int users) throws Exception {
        String source;
        try (Connection c = ctx.db()) {
            long existing;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM account WHERE domain_id = ?")) {
                ps.setObject(1, domain);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    existing = rs.getLong(1);
                }
            }
            if (existing > 0) {
                source = "synced";
            } else {
                insertAccounts(c, domain, users);
                source = "inserted with SQL";
            }
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE account");
            }
        }
        return source;
    }

    /** gen-users.py's users 0..n-1 (prefix "user", 5+ digits, 10 % disabled, no mail for every 50th) as synced accounts. */
    static void insertAccounts(Connection c, UUID domain, int n) throws Exception {
        int width = Math.max(5, Integer.toString(Math.max(n, 1) - 1).length());
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO account (id, domain_id, object_guid, username, user_principal_name, email, display_name,
                                     given_name, surname, distinguished_name, user_account_control, account_expires,
                                     active, deactivation_reason, last_synced_at, created_at, updated_at)
                SELECT gen_random_uuid(), ?, gen_random_uuid(), u.sam, u.sam || '@adsync.test',
                       CASE WHEN u.i % 50 = 49 THEN NULL ELSE u.sam || '@adsync.test' END,
                       u.given || ' ' || u.sn, u.given, u.sn, 'CN=' || u.sam || ',OU=Users,OU=adsync,DC=adsync,DC=test',
                       CASE WHEN u.disabled
                            THEN (ARRAY[514, 546, 66050])[((row_number() OVER (PARTITION BY u.disabled ORDER BY u.i)) - 1) % 3 + 1]
                            ELSE 512 END,
                       9223372036854775807, NOT u.disabled, CASE WHEN u.disabled THEN ? END, now(), now(), now()
                  FROM (SELECT i, 'user' || lpad(i::text, ?, '0') AS sam, (i * 37) % 100 < 10 AS disabled,
                               (?::text[])[i % 30 + 1] AS given, (?::text[])[(i / 30) % 30 + 1] AS sn
                          FROM generate_series(0, ? - 1) AS i) u""")) {
            ps.setObject(1, domain);
            ps.setString(2, AdUser.REASON_DISABLED);
            ps.setInt(3, width);
            ps.setArray(4, c.createArrayOf("text", GIVEN));
            ps.setArray(5, c.createArrayOf("text", SURNAME));
            ps.setInt(6, n);
            ps.executeUpdate();
        }
    }

    // deploy/samba-ad/gen-users.py's names
    private static final String[] GIVEN = {"Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannah", "Ivan", "Julia",
            "Karl", "Lena", "Max", "Nina", "Oskar", "Paula", "Quentin", "Rosa", "Simon", "Tina",
            "Uwe", "Vera", "Walter", "Xenia", "Yusuf", "Zoe", "René", "Jürgen", "Søren", "Chloé"};
    private static final String[] SURNAME = {"Adams", "Becker", "Clark", "Dietrich", "Evans", "Fischer", "Garcia", "Hoffmann",
            "Ito", "Jensen", "Klein", "Lopez", "Meyer", "Novak", "Olsen", "Peters", "Quinn",
            "Richter", "Schmidt", "Tanaka", "Umar", "Vogel", "Weber", "Xu", "Young", "Zimmer",
            "Müller", "Åberg", "Núñez", "O'Brien"};

    /** {@value #JOBS} jobs of the domain through the API: manual, yearly cron, weekly and disabled; none comes due. */
    static int createJobs(BenchContext ctx, UUID domain) throws Exception {
        Api api = ctx.api();
        for (int i = 0; i < JOBS; i++) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", String.format(Locale.ROOT, "bench-api-job-%02d", i));
            body.put("description", "scenario 7: one of " + JOBS + " jobs for GET /jobs");
            body.put("domainId", domain.toString());
            body.put("requeueOnFailure", i % 2 == 0);
            switch (i % 4) {
                case 0 -> body.put("schedule", Map.of("type", "MANUAL"));
                case 1 -> body.put("schedule", Map.of("type", "CRON", "expression", "0 3 1 1 *", "timeZone", "Europe/Berlin"));
                case 2 -> {
                    body.put("schedule", Map.of("type", "SIMPLE", "every", "WEEKLY", "at", "02:30", "timeZone", "UTC",
                            "dayOfWeek", "SUNDAY"));
                    body.put("enabled", false);
                }
                default -> {
                    body.put("schedule", Map.of("type", "TIME_SPAN", "runWhen", "IMMEDIATELY", "interval", "PT18H35M1S"));
                    body.put("enabled", false);
                }
            }
            api.post("/jobs", body);
        }
        return JOBS;
    }

    private static long count(BenchContext ctx, String sql) throws Exception {
        try (Connection c = ctx.db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String encode(String q) {
        return URLEncoder.encode(q, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
