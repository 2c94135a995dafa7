package io.adsync.worker.claim;

import io.adsync.common.JdbiFactory;
import io.adsync.run.ledger.ClaimedRun;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.WorkerLifecycle;
import io.adsync.worker.db.Tx;
import io.adsync.worker.server.JobServers;
import io.adsync.worker.claim.WorkerSettings;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Safety properties of the claim, the fence and cancellation that hold without any symptom in the other tests:
 * each test here was seen to fail with its property removed from the code (see the closing note).
 * Each runs the product's own statements ({@link RunLedger}) or a real {@link Worker} against real PostgreSQL.
 */
@QuarkusTest
class SafetyPropertiesTest {

    @Inject
    AgroalDataSource ds;

    @Inject
    WorkerLifecycle lifecycle;

    JobFixtures db;
    ScriptedExecutor executor;
    final List<Worker> workers = new ArrayList<>();
    final List<Connection> held = new ArrayList<>();
    final List<Handle> handles = new ArrayList<>();
    Jdbi jdbi;

    @BeforeEach
    void setUp() throws Exception {
        db = new JobFixtures(ds);
        jdbi = JdbiFactory.create(ds);
        db.wipe();
        executor = new ScriptedExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Connection c : held) { // roll back first: a worker blocked on one of these locks can then stop
            c.rollback();
            c.close();
        }
        held.clear();
        for (Handle h : handles) {
            h.rollback();
            h.close();
        }
        handles.clear();
        executor.release.countDown();
        workers.forEach(Worker::crash);
        workers.clear();
    }

    /** A transaction kept open until the test ends (or it commits itself). */
    Connection openTransaction() throws Exception {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        held.add(c);
        return c;
    }

    UUID server(String name) throws Exception {
        return Tx.run(jdbi, h -> JobServers.register(h, name, true, "test").id());
    }

    Worker start(WorkerSettings s, WorkerMetrics metrics) {
        Worker w = new Worker(ds, lifecycle.databaseAddress(), s, executor, metrics, "test");
        w.start();
        workers.add(w);
        await().atMost(Duration.ofSeconds(5)).until(w::isRegistered);
        return w;
    }

    String state(UUID run) throws Exception {
        return (String) db.rows("SELECT state FROM job_run WHERE id = ?", run).getFirst().get("state");
    }

    /**
     * FENCE takes FOR SHARE on the run row: once a write transaction has passed its fence, the reaper cannot
     * abandon the run until that transaction ends, even when the lease runs out in between (a GC pause between the
     * fence and the commit). The reaper does not wait for it either (SKIP LOCKED): it skips the run and comes back.
     */
    @Test
    void aBatchThatPassedTheFenceCommitsBeforeTheReaperCanAbandonItsRun() throws Exception {
        UUID job = db.job("fenced", db.domain("fence.test"), false, JobFixtures.DUE_NOW_DAILY, true);
        UUID serverId = server("fencer");
        ClaimedRun run = Tx.run(jdbi, h -> RunLedger.claim(h, serverId, UUID.randomUUID(), Duration.ofSeconds(2), 1)).getFirst();
        assertThat(run.jobId()).isEqualTo(job);

        Handle batch = jdbi.open();
        batch.begin();
        handles.add(batch);
        assertThat(RunLedger.fence(batch, run)).as("the fence passes while the lease is valid").isTrue();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> db.count("SELECT count(*) FROM job_run WHERE id = ? AND lease_until < now()", run.runId()) == 1);

        // the lease has run out, but the batch is still open: the reaper must skip the run, at once
        CompletableFuture<List<RunLedger.EndedRun>> reaping = CompletableFuture.supplyAsync(() -> reap());
        List<RunLedger.EndedRun> reaped = reaping.get(2, TimeUnit.SECONDS);
        assertThat(reaped).as("reaped while a fenced batch was open").isEmpty();
        assertThat(state(run.runId())).isEqualTo("RUNNING");

        batch.commit();
        assertThat(reap()).extracting(RunLedger.EndedRun::runId).containsExactly(run.runId());
        assertThat(state(run.runId())).isEqualTo("ABANDONED");
    }

    private List<RunLedger.EndedRun> reap() {
        try {
            return Tx.run(jdbi, h -> {
                h.execute("SET LOCAL lock_timeout = '5s'"); // a blocking reaper fails the test instead of hanging it
                return RunLedger.reap(h, 100, (r, requeue) -> Optional.empty());
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The claim locks due jobs with SKIP LOCKED: a job row locked by someone else (an API update, another claim)
     * does not hold up the claim of the other due jobs.
     */
    @Test
    void aLockedDueJobDoesNotHoldUpTheClaimOfAnother() throws Exception {
        UUID locked = db.job("locked", db.domain("locked.test"), false, JobFixtures.DUE_NOW_DAILY, true);
        db.exec("UPDATE sync_job SET next_run_at = now() - interval '1 hour' WHERE id = ?", locked); // first in due order
        UUID free = db.job("free", db.domain("free.test"), false, JobFixtures.DUE_NOW_DAILY, true);
        Connection other = openTransaction();
        try (PreparedStatement ps = other.prepareStatement("SELECT 1 FROM sync_job WHERE id = ? FOR UPDATE")) {
            ps.setObject(1, locked);
            ps.executeQuery().close();
        }

        Instant t0 = Instant.now();
        start(WorkerPoolTest.fast("skipper"), new WorkerMetrics(new SimpleMeterRegistry()));
        assertThat(executor.awaitStart(free, 1500)).as("the free job was claimed within about 1 s").isTrue();
        assertThat(Duration.between(t0, Instant.now())).isLessThan(Duration.ofMillis(1500));
        assertThat(executor.executions).extracting(ScriptedExecutor.Execution::jobId).doesNotContain(locked);

        other.rollback();
        assertThat(executor.awaitStart(locked, 3000)).as("claimed once the lock is gone").isTrue();
    }

    /**
     * The claim passes over a job that is running ({@code current_run_id IS NOT NULL}), whether its schedule is
     * still due (a scheduled run's next slot is computed when it ends) or a manual run is queued behind it. Without
     * that check the unique index on RUNNING runs still prevents a second run, but by failing the claim statement:
     * every claim would fail, and no other job would start.
     */
    @Test
    void theClaimPassesOverRunningJobsInsteadOfFailing() throws Exception {
        UUID running = db.job("running", db.domain("running.test"), false, JobFixtures.DUE_NOW_DAILY, true);
        UUID serverId = server("claimer");
        UUID owner = UUID.randomUUID();
        ClaimedRun first = Tx.run(jdbi, h -> RunLedger.claim(h, serverId, owner, Duration.ofSeconds(30), 10)).getFirst();
        assertThat(first.jobId()).isEqualTo(running);
        assertThat(db.count("SELECT count(*) FROM sync_job WHERE id = ? AND next_run_at <= now()", running))
                .as("its schedule is still due while it runs").isEqualTo(1);
        UUID queued = db.queueManualRun(running);
        UUID other = db.job("other", db.domain("other.test"), false, JobFixtures.DUE_NOW_DAILY, true);

        List<ClaimedRun> second = Tx.run(jdbi, h -> RunLedger.claim(h, serverId, owner, Duration.ofSeconds(30), 10));

        assertThat(second).extracting(ClaimedRun::jobId).containsExactly(other);
        assertThat(state(queued)).as("the manual run waits for the running one").isEqualTo("QUEUED");
        assertThat(db.count("SELECT count(*) FROM job_run WHERE job_id = ? AND state = 'RUNNING'", running)).isEqualTo(1);
    }

    /** The same property seen from a worker: while one job runs and others come due, no claim fails. */
    @Test
    void noClaimFailsWhileAJobRunsAndOthersComeDue() throws Exception {
        UUID d = db.domain("busy.test");
        UUID hanging = db.job("hanging", d, false, JobFixtures.DUE_NOW_DAILY, true);
        executor.script = ctx -> ctx.run().jobId().equals(hanging) ? ScriptedExecutor.Behaviour.HANG : ScriptedExecutor.Behaviour.SUCCEED;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        start(WorkerPoolTest.fast("steady"), new WorkerMetrics(meters));
        assertThat(executor.awaitStart(hanging, 3000)).isTrue();
        db.queueManualRun(hanging);
        List<UUID> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            later.add(db.job("later-" + i, db.domain("later" + i + ".test"), false, JobFixtures.DUE_NOW_DAILY, true));
            Thread.sleep(60); // more than pollMin: each comes due on its own claim
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> executor.executions.size() >= later.size());

        assertThat(executor.executions).extracting(ScriptedExecutor.Execution::jobId).containsExactlyInAnyOrderElementsOf(later);
        assertThat(meters.get("adsync.claim.latency").timer().count()).as("claims made").isGreaterThan(5);
        assertThat(meters.get("adsync.claim.failures").counter().count()).as("claims that failed").isZero();
    }

    /**
     * A cancel request reaches the run through its heartbeat alone (the NOTIFY was lost, or the listener was
     * reconnecting): the run is CANCELLED within one heartbeat interval (lease/3) plus slack.
     */
    @Test
    void aCancelRequestWithoutNotifyIsSeenByTheHeartbeat() throws Exception {
        UUID job = db.job("cancel-quietly", db.domain("quiet.test"), true, JobFixtures.MANUAL, false);
        executor.script = ctx -> ScriptedExecutor.Behaviour.HANG;
        WorkerSettings s = WorkerPoolTest.fast("quiet");
        start(s, new WorkerMetrics(new SimpleMeterRegistry()));
        UUID run = db.queueManualRun(job);
        assertThat(executor.awaitStart(job, 3000)).isTrue();

        Instant asked = Instant.now();
        db.exec("UPDATE job_run SET cancel_requested = true WHERE id = ?", run); // no pg_notify
        Duration limit = s.runHeartbeat().plus(Duration.ofMillis(1000));
        await().atMost(limit.plusSeconds(2)).pollInterval(Duration.ofMillis(25)).until(() -> "CANCELLED".equals(state(run)));
        assertThat(Duration.between(asked, Instant.now())).as("lease/3 + slack").isLessThan(limit);
        assertThat(db.rows("SELECT error_category FROM job_run WHERE id = ?", run).getFirst().get("error_category")).isEqualTo("CANCELLED");
    }
}
