package io.adsync.worker.claim;

import io.adsync.worker.WorkerLifecycle;
import io.adsync.worker.claim.WorkerSettings;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several workers in one JVM sharing real PostgreSQL: claiming, exclusivity, retries, crash recovery, shutdown. */
@QuarkusTest
class WorkerPoolTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    WorkerLifecycle lifecycle;

    JobFixtures db;
    ScriptedExecutor executor;
    final List<Worker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = new JobFixtures(ds);
        db.wipe();
        executor = new ScriptedExecutor();
    }

    @AfterEach
    void tearDown() {
        executor.release.countDown();
        workers.forEach(Worker::crash);
        workers.clear();
    }

    static WorkerSettings fast(String name) {
        return new WorkerSettings(name, true, 2, Duration.ofSeconds(3), Duration.ofMillis(300), Duration.ofMillis(50),
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(2), 3, 0.0,
                Duration.ofMillis(200));
    }

    Worker start(WorkerSettings s) {
        Worker w = new Worker(ds, lifecycle.databaseAddress(), s, executor, new WorkerMetrics(new SimpleMeterRegistry()), "test");
        w.start();
        workers.add(w);
        await().atMost(Duration.ofSeconds(5)).until(w::isRegistered);
        return w;
    }

    @Test
    void twoHundredDueJobsRunExactlyOnceWithNoOverlapPerJobOrDomain() throws Exception {
        List<UUID> domains = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            domains.add(db.domain("d" + i + ".test"));
        }
        Set<UUID> jobs = new HashSet<>();
        for (int i = 0; i < 198; i++) {
            jobs.add(db.job("job-" + i, domains.get(i % domains.size()), false, JobFixtures.DUE_NOW_DAILY, true));
        }
        jobs.add(db.job("all-1", null, false, JobFixtures.DUE_NOW_DAILY, true));
        jobs.add(db.job("all-2", null, false, JobFixtures.DUE_NOW_DAILY, true));
        executor.workMillis = 15;

        for (int i = 0; i < 4; i++) {
            start(fast("w" + i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> executor.executions.size() >= 200);
        Thread.sleep(500); // anything extra would show up now

        assertThat(executor.executions).hasSize(200);
        Map<UUID, Long> perJob = executor.executions.stream().collect(Collectors.groupingBy(ScriptedExecutor.Execution::jobId, Collectors.counting()));
        assertThat(perJob.keySet()).isEqualTo(jobs);
        assertThat(perJob.values()).allMatch(n -> n == 1);
        assertThat(executor.executions.stream().map(e -> e.worker().replaceAll("-\\d+$", "")).distinct().count())
                .as("work spread over the workers").isGreaterThan(1);

        // No two executions that touch a common domain overlap in time ("sync all" touches every domain).
        Map<UUID, List<ScriptedExecutor.Execution>> perDomain = new HashMap<>();
        for (var e : executor.executions) {
            assertThat(e.domains()).isNotEmpty();
            e.domains().forEach(d -> perDomain.computeIfAbsent(d, k -> new ArrayList<>()).add(e));
        }
        assertThat(perDomain.get(domains.getFirst())).hasSizeGreaterThanOrEqualTo(2 + 198 / 40);
        for (var list : perDomain.values()) {
            var sorted = list.stream().sorted((a, b) -> a.start().compareTo(b.start())).toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i).start()).as("domain overlap").isAfterOrEqualTo(sorted.get(i - 1).end());
            }
        }
        assertThat(db.count("SELECT count(*) FROM job_run WHERE state = 'SUCCEEDED'")).isEqualTo(200);
        assertThat(db.count("SELECT count(*) FROM job_run WHERE state <> 'SUCCEEDED'")).isZero();
        assertThat(db.count("SELECT count(*) FROM sync_job WHERE current_run_id IS NOT NULL OR next_run_at < now() + interval '23 hours'")).isZero();
        assertThat(db.count("SELECT count(*) FROM domain_lease")).isZero();
    }

    @Test
    void withABacklogAWorkerClaimsInBatchesNotOneRunPerFinishedRun() throws Exception {
        for (int i = 0; i < 120; i++) {
            db.job("batch-" + i, db.domain("batch" + i + ".test"), false, JobFixtures.DUE_NOW_DAILY, true);
        }
        executor.workMillis = 10;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        WorkerSettings f = fast("batcher");
        WorkerSettings eight = new WorkerSettings(f.serverName(), true, 8, f.lease(), f.serverHeartbeat(), f.pollMin(),
                f.pollMax(), f.shutdownGrace(), f.retryInitial(), f.retryMax(), f.retryMaxAttempts(), f.retryJitter(),
                f.domainBusyDelay());
        Worker w = new Worker(ds, lifecycle.databaseAddress(), eight, executor, new WorkerMetrics(meters), "test");
        w.start();
        workers.add(w);

        await().atMost(Duration.ofSeconds(30)).until(() -> executor.executions.size() >= 120);
        long claims = meters.get("adsync.claim.latency").timer().count();
        assertThat(claims).as("claims for 120 runs on 8 slots (one per finished run would be over 100)").isLessThan(60);
        await().atMost(Duration.ofSeconds(5)).until(() -> db.count("SELECT count(*) FROM job_run WHERE state = 'SUCCEEDED'") == 120);
        assertThat(db.count("SELECT count(*) FROM domain_lease")).isZero();
        assertThat(executor.executions.stream().map(ScriptedExecutor.Execution::jobId).distinct().count()).isEqualTo(120);
    }

    @Test
    void aRunWaitingForItsDomainSaysSoInItsRecord() throws Exception {
        UUID d = db.domain("busy.test");
        UUID first = db.job("first", d, false, JobFixtures.MANUAL, false);
        UUID second = db.job("second", d, false, JobFixtures.MANUAL, false);
        executor.script = ctx -> ctx.run().jobId().equals(first) ? ScriptedExecutor.Behaviour.HANG : ScriptedExecutor.Behaviour.SUCCEED;
        start(fast("w0"));
        db.queueManualRun(first);
        assertThat(executor.awaitStart(first, 3000)).isTrue();
        UUID waiting = db.queueManualRun(second);

        await().atMost(Duration.ofSeconds(5)).until(() -> {
            var r = db.rows("SELECT state, message FROM job_run WHERE id = ?", waiting).getFirst();
            return "QUEUED".equals(r.get("state")) && r.get("message") != null;
        });
        assertThat((String) db.rows("SELECT message FROM job_run WHERE id = ?", waiting).getFirst().get("message"))
                .contains("waiting").contains("busy.test");
        assertThat(executor.executions).isEmpty();

        executor.release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> "SUCCEEDED".equals(db.rows("SELECT state FROM job_run WHERE id = ?", waiting).getFirst().get("state")));
        var runs = executor.executions;
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1).start()).isAfterOrEqualTo(runs.get(0).end());
    }

    @Test
    void canBeJobServerFalseStopsClaimingAndTrueResumesIt() throws Exception {
        UUID d = db.domain("flag.test");
        db.exec("INSERT INTO job_server (id, name, can_be_job_server) VALUES (gen_random_uuid(), 'parked', false)");
        Worker w = start(fast("parked"));
        UUID job = db.job("flagged", d, false, JobFixtures.DUE_NOW_DAILY, true);
        Thread.sleep(1500); // three poll intervals
        assertThat(executor.executions).isEmpty();
        assertThat(db.count("SELECT count(*) FROM job_run")).isZero();

        db.exec("UPDATE job_server SET can_be_job_server = true WHERE id = ?", w.serverId());
        assertThat(executor.awaitStart(job, 2000)).as("claims within a poll interval of the flip").isTrue();

        db.exec("UPDATE job_server SET can_be_job_server = false WHERE id = ?", w.serverId());
        Thread.sleep(600);
        UUID later = db.job("later", d, false, JobFixtures.DUE_NOW_DAILY, true);
        Thread.sleep(1500);
        assertThat(executor.executions).extracting(ScriptedExecutor.Execution::jobId).doesNotContain(later);
    }

    @Test
    void failedRunsAreRetriedWithBackoffUntilTheLimitWhenTheFlagIsSet() throws Exception {
        UUID d = db.domain("retry.test");
        UUID job = db.job("flaky", d, true, JobFixtures.DUE_NOW_DAILY, true);
        executor.script = ctx -> ScriptedExecutor.Behaviour.FAIL;
        start(fast("w0"));

        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM job_run WHERE state = 'FAILED'") == 3);
        Thread.sleep(2500); // longer than the next backoff would be: no 4th attempt
        var runs = db.rows("SELECT attempt, trigger, state, error_category, not_before, created_at FROM job_run WHERE job_id = ? ORDER BY attempt", job);
        assertThat(runs).extracting(r -> r.get("attempt")).containsExactly(1, 2, 3);
        assertThat(runs).extracting(r -> r.get("trigger")).containsExactly("SCHEDULE", "RETRY", "RETRY");
        assertThat(runs).extracting(r -> r.get("error_category")).containsOnly("UNREACHABLE");
        // backoff doubles: retry 2 waits ~300 ms after its creation, retry 3 ~600 ms
        long wait2 = millisBetween(runs.get(1).get("created_at"), runs.get(1).get("not_before"));
        long wait3 = millisBetween(runs.get(2).get("created_at"), runs.get(2).get("not_before"));
        assertThat(wait2).isBetween(250L, 400L);
        assertThat(wait3).isBetween(550L, 700L);
        // the schedule moved on: the job waits for its next slot
        assertThat(db.count("SELECT count(*) FROM sync_job WHERE id = ? AND next_run_at > now() + interval '23 hours' AND last_run_state = 'FAILED'", job)).isEqualTo(1);
    }

    @Test
    void aRetryKeepsTheOptionsOfTheRunItRetries() throws Exception {
        UUID job = db.job("full-retry", db.domain("options.test"), true, JobFixtures.MANUAL, false);
        executor.script = ctx -> ctx.run().attempt() == 1 ? ScriptedExecutor.Behaviour.FAIL : ScriptedExecutor.Behaviour.SUCCEED;
        db.exec("INSERT INTO job_run (id, job_id, trigger, state, options) VALUES (gen_random_uuid(), ?, 'MANUAL', 'QUEUED', "
                + "'{\"mode\":\"FULL\",\"allowMassDeactivation\":true}'::jsonb)", job);
        start(fast("w0"));
        await().atMost(Duration.ofSeconds(5)).until(() -> db.count("SELECT count(*) FROM job_run WHERE job_id = ? AND state = 'SUCCEEDED'", job) == 1);
        var retry = db.rows("SELECT trigger, options->>'mode' AS mode, options->>'allowMassDeactivation' AS mass FROM job_run WHERE job_id = ? AND attempt = 2", job).getFirst();
        assertThat(retry.get("trigger")).isEqualTo("RETRY");
        assertThat(retry.get("mode")).isEqualTo("FULL");
        assertThat(retry.get("mass")).isEqualTo("true");
    }

    @Test
    void aFailedRunIsNotRetriedWhenTheFlagIsOff() throws Exception {
        UUID job = db.job("no-retry", db.domain("noretry.test"), false, JobFixtures.DUE_NOW_DAILY, true);
        executor.script = ctx -> ScriptedExecutor.Behaviour.FAIL;
        start(fast("w0"));
        await().atMost(Duration.ofSeconds(5)).until(() -> db.count("SELECT count(*) FROM job_run WHERE state = 'FAILED'") == 1);
        Thread.sleep(1500);
        assertThat(db.count("SELECT count(*) FROM job_run WHERE job_id = ?", job)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM sync_job WHERE id = ? AND next_run_at > now() + interval '23 hours'", job)).isEqualTo(1);
    }

    @Test
    void aCrashedWorkersRunIsAbandonedAndTakenOverWithinLeasePlusPoll() throws Exception {
        UUID job = db.job("crashy", db.domain("crash.test"), true, JobFixtures.MANUAL, false);
        executor.script = ctx -> ctx.run().attempt() == 1 ? ScriptedExecutor.Behaviour.HANG : ScriptedExecutor.Behaviour.SUCCEED;
        Worker a = start(fast("a"));
        db.queueManualRun(job);
        assertThat(executor.awaitStart(job, 3000)).isTrue();
        start(fast("b"));

        Instant crashed = Instant.now();
        a.crash(); // kill -9: no more writes, no heartbeats
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM job_run WHERE job_id = ? AND state = 'SUCCEEDED'", job) == 1);
        Duration recovery = Duration.between(crashed, Instant.now());
        assertThat(recovery).as("lease 3s + poll 0.5s + slack").isLessThan(Duration.ofMillis(3000 + 500 + 1500));

        var runs = db.rows("SELECT attempt, trigger, state FROM job_run WHERE job_id = ? ORDER BY attempt", job);
        assertThat(runs).extracting(r -> r.get("state")).containsExactly("ABANDONED", "SUCCEEDED");
        assertThat(runs).extracting(r -> r.get("trigger")).containsExactly("MANUAL", "RETRY");
        assertThat(executor.executions).filteredOn(e -> e.attempt() == 2).extracting(e -> e.worker().startsWith("sync-run-b-")).containsExactly(true);
    }

    @Test
    void aWorkerThatLostItsLeaseIsFencedOut() throws Exception {
        UUID job = db.job("stale", db.domain("stale.test"), false, JobFixtures.MANUAL, false);
        db.exec("CREATE TABLE IF NOT EXISTS fenced_write (run_id uuid)");
        db.exec("TRUNCATE fenced_write");
        // a: long lease, so its own heartbeat will not renew before we expire it by hand
        WorkerSettings slow = new WorkerSettings("a", true, 1, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMillis(50),
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(2), 3, 0.0, Duration.ofMillis(200));
        java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Throwable> writeOutcome = new java.util.concurrent.atomic.AtomicReference<>();
        Worker a = new Worker(ds, lifecycle.databaseAddress(), slow, ctx -> {
            stalled.await(); // a GC pause, a network partition...
            try {
                ctx.write(c -> {
                    try (var ps = c.prepareStatement("INSERT INTO fenced_write VALUES (?)")) {
                        ps.setObject(1, ctx.run().runId());
                        return ps.executeUpdate();
                    }
                }, n -> io.adsync.run.RunStats.EMPTY);
            } catch (Throwable t) {
                writeOutcome.set(t);
                throw t;
            }
            return io.adsync.worker.run.RunResult.success(io.adsync.run.RunStats.EMPTY);
        }, new WorkerMetrics(new SimpleMeterRegistry()), "test");
        a.start();
        workers.add(a);
        UUID run = db.queueManualRun(job);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.activeRunIds().contains(run));

        db.exec("UPDATE job_run SET lease_until = now() - interval '1 second' WHERE id = ?", run);
        start(fast("b")); // b's reaper abandons the expired run
        await().atMost(Duration.ofSeconds(5)).until(() -> "ABANDONED".equals(db.rows("SELECT state FROM job_run WHERE id = ?", run).getFirst().get("state")));

        stalled.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> writeOutcome.get() != null);
        assertThat(writeOutcome.get()).isInstanceOf(io.adsync.worker.run.LeaseLostException.class);
        assertThat(db.count("SELECT count(*) FROM fenced_write")).isZero();
        Thread.sleep(300);
        assertThat(db.rows("SELECT state FROM job_run WHERE id = ?", run).getFirst().get("state")).isEqualTo("ABANDONED");
    }

    @Test
    void cancellingARunningRunStopsItPromptly() throws Exception {
        UUID job = db.job("cancel-me", db.domain("cancel.test"), true, JobFixtures.MANUAL, false);
        executor.script = ctx -> ScriptedExecutor.Behaviour.HANG;
        start(fast("w0"));
        UUID run = db.queueManualRun(job);
        assertThat(executor.awaitStart(job, 3000)).isTrue();

        Instant asked = Instant.now();
        db.exec("UPDATE job_run SET cancel_requested = true WHERE id = ?; SELECT pg_notify('adsync_cancel', ?)", run, run.toString());
        await().atMost(Duration.ofSeconds(3)).until(() -> "CANCELLED".equals(db.rows("SELECT state FROM job_run WHERE id = ?", run).getFirst().get("state")));
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(2));
        assertThat(db.rows("SELECT error_category FROM job_run WHERE id = ?", run).getFirst().get("error_category")).isEqualTo("CANCELLED");
        Thread.sleep(1000);
        assertThat(db.count("SELECT count(*) FROM job_run WHERE job_id = ?", job)).as("a cancelled run is not retried").isEqualTo(1);
    }

    @Test
    void gracefulShutdownLetsShortRunsFinishAndReleasesLongOnes() throws Exception {
        UUID quick = db.job("quick", db.domain("quick.test"), false, JobFixtures.MANUAL, false);
        UUID slow = db.job("slow", db.domain("slow.test"), false, JobFixtures.MANUAL, false);
        executor.script = ctx -> ctx.run().jobId().equals(slow) && ctx.run().attempt() == 1 ? ScriptedExecutor.Behaviour.HANG : ScriptedExecutor.Behaviour.SUCCEED;
        executor.workMillis = 500;
        Worker a = start(fast("a"));
        db.queueManualRun(quick);
        UUID slowRun = db.queueManualRun(slow);
        assertThat(executor.awaitStart(quick, 3000)).isTrue();
        assertThat(executor.awaitStart(slow, 3000)).isTrue();

        a.stop(); // grace 2s: quick (0.5s) finishes, slow is released
        workers.remove(a);
        assertThat(db.rows("SELECT state FROM job_run WHERE job_id = ?", quick).getFirst().get("state")).isEqualTo("SUCCEEDED");
        var released = db.rows("SELECT state, error_category, error_message, stats->>'created' AS created FROM job_run WHERE id = ?", slowRun).getFirst();
        assertThat(released.get("created")).as("what the released run committed is kept in its stats").isEqualTo("7");
        assertThat(released.get("state")).isEqualTo("ABANDONED");
        assertThat(released.get("error_category")).isEqualTo("CANCELLED");
        assertThat((String) released.get("error_message")).contains("shut down");
        assertThat(db.count("SELECT count(*) FROM job_run WHERE job_id = ? AND state = 'QUEUED' AND trigger = 'RETRY' AND attempt = 2", slow))
                .as("requeued at once although requeueOnFailure is off").isEqualTo(1);
        assertThat(db.rows("SELECT last_heartbeat_at FROM job_server WHERE name = 'a'").getFirst().get("last_heartbeat_at")).isNull();

        start(fast("b"));
        await().atMost(Duration.ofSeconds(5)).until(() -> db.count("SELECT count(*) FROM job_run WHERE job_id = ? AND state = 'SUCCEEDED'", slow) == 1);
    }

    @Test
    void anIdleWorkerStopsAtOnce() throws Exception {
        Worker a = start(fast("idle"));
        Instant t0 = Instant.now();
        a.stop();
        workers.remove(a);
        assertThat(Duration.between(t0, Instant.now())).isLessThan(Duration.ofSeconds(2));
        assertThat(db.rows("SELECT last_heartbeat_at FROM job_server WHERE name = 'idle'").getFirst().get("last_heartbeat_at")).isNull();
    }

    @Test
    void aManualRunStartsWithinOneSecondOnAnIdlePool() throws Exception {
        UUID job = db.job("now", db.domain("now.test"), false, JobFixtures.MANUAL, false);
        // a poll interval far longer than 1 s: only LISTEN/NOTIFY can make this fast
        WorkerSettings idle = new WorkerSettings("idle", true, 2, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 3, 0.0, Duration.ofMillis(200));
        start(idle);
        Thread.sleep(1500); // let it go idle
        Instant queued = Instant.now();
        db.queueManualRun(job);
        assertThat(executor.awaitStart(job, 3000)).isTrue();
        Instant startedAt = executor.executions.isEmpty() ? Instant.now() : null;
        Duration latency = Duration.between(queued, startedAt != null ? startedAt : executor.executions.getFirst().start());
        assertThat(latency).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aScheduledJobRunsAgainOnItsNextSlotNotBefore() throws Exception {
        UUID job = db.job("every-2s", db.domain("sched.test"), false, "{\"type\":\"TIME_SPAN\",\"runWhen\":\"IMMEDIATELY\",\"interval\":\"PT2S\"}", true);
        start(fast("w0"));
        await().atMost(Duration.ofSeconds(8)).until(() -> db.count("SELECT count(*) FROM job_run WHERE job_id = ? AND state = 'SUCCEEDED'", job) >= 3);
        var runs = db.rows("SELECT scheduled_for FROM job_run WHERE job_id = ? ORDER BY scheduled_for", job);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(millisBetween(runs.get(i - 1).get("scheduled_for"), runs.get(i).get("scheduled_for"))).isEqualTo(2000);
        }
    }

    private static long millisBetween(Object a, Object b) {
        return Duration.between(toInstant(a), toInstant(b)).toMillis();
    }

    private static Instant toInstant(Object o) {
        return o instanceof Timestamp t ? t.toInstant() : ((java.time.OffsetDateTime) o).toInstant();
    }
}
