package io.adsync.worker.claim;

import io.adsync.common.JdbiFactory;
import io.adsync.run.RunOptions;
import io.adsync.run.RunState;
import io.adsync.run.RunTrigger;
import io.adsync.run.ledger.ClaimedRun;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.db.Tx;
import io.adsync.schedule.Schedule;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The set-based end of runs (RunLedger END, LOCK_JOBS, AFTER_RUNS, DomainLeases RELEASE): each run fenced on its own. */
@QuarkusTest
class RunEndsTest {

    @Inject
    AgroalDataSource ds;

    JobFixtures db;

    @BeforeEach
    void setUp() throws Exception {
        db = new JobFixtures(ds);
        db.wipe();
    }

    @Test
    void aBatchEndsOnlyTheRunsStillOursAndDoesTheirBookkeeping() throws Exception {
        UUID owner = UUID.randomUUID();
        List<ClaimedRun> runs = List.of(running("a", owner), running("b", owner), running("c", owner));
        ClaimedRun lost = runs.get(1);
        db.exec("UPDATE job_run SET lease_owner = gen_random_uuid() WHERE id = ?", lost.runId()); // taken over meanwhile
        var ended = Tx.run(JdbiFactory.create(ds), h -> RunLedger.end(h, runs.stream().map(r -> new RunLedger.RunEnd(r,
                RunState.SUCCEEDED, "{\"created\":3}", "{}", "{}", "FULL", "first sync", null, null)).toList(), (r, requeue) -> Optional.empty()));

        assertThat(ended).containsExactlyInAnyOrder(runs.get(0).runId(), runs.get(2).runId());
        for (ClaimedRun r : List.of(runs.get(0), runs.get(2))) {
            var run = db.rows("SELECT state, stats->>'created' AS created, mode, lease_until, finished_at FROM job_run WHERE id = ?", r.runId()).getFirst();
            assertThat(run.get("state")).isEqualTo("SUCCEEDED");
            assertThat(run.get("created")).isEqualTo("3");
            assertThat(run.get("mode")).isEqualTo("FULL");
            assertThat(run.get("lease_until")).isNull();
            assertThat(run.get("finished_at")).isNotNull();
            var job = db.rows("SELECT current_run_id, last_run_id, last_run_state, last_run_started_at, next_run_at FROM sync_job WHERE id = ?", r.jobId()).getFirst();
            assertThat(job.get("current_run_id")).isNull();
            assertThat(job.get("last_run_id")).isEqualTo(r.runId());
            assertThat(job.get("last_run_state")).isEqualTo("SUCCEEDED");
            assertThat(job.get("last_run_started_at")).isNotNull();
            assertThat(db.count("SELECT count(*) FROM sync_job WHERE id = ? AND next_run_at > now() + interval '23 hours'", r.jobId()))
                    .as("a scheduled run moves its job's schedule on").isEqualTo(1);
        }
        assertThat(db.rows("SELECT state FROM job_run WHERE id = ?", lost.runId()).getFirst().get("state")).isEqualTo("RUNNING");
        assertThat(db.rows("SELECT current_run_id FROM sync_job WHERE id = ?", lost.jobId()).getFirst().get("current_run_id")).isEqualTo(lost.runId());
        assertThat(db.count("SELECT count(*) FROM domain_lease")).as("only the lost run's lease is left").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM domain_lease WHERE run_id = ?", lost.runId())).isEqualTo(1);
    }

    /** A RUNNING run of a new job on its own domain, holding the domain's lease, as a claim leaves it. */
    private ClaimedRun running(String name, UUID owner) throws Exception {
        UUID domain = db.domain(name + ".test");
        UUID job = db.job(name, domain, false, JobFixtures.DUE_NOW_DAILY, true);
        UUID run = UUID.randomUUID();
        db.exec("""
                INSERT INTO job_run (id, job_id, trigger, state, lease_owner, lease_until, started_at)
                VALUES (?, ?, 'SCHEDULE', 'RUNNING', ?, now() + interval '30 seconds', now());
                UPDATE sync_job SET current_run_id = ? WHERE id = ?;
                INSERT INTO domain_lease (domain_id, run_id, lease_until) VALUES (?, ?, now() + interval '30 seconds')
                """, run, job, owner, run, job, domain, run);
        Schedule daily = JobFixtures.schedule(JobFixtures.DUE_NOW_DAILY);
        return new ClaimedRun(run, job, 1, RunTrigger.SCHEDULE, Instant.now(), owner, RunOptions.DEFAULT, name, domain, false, false,
                daily, 500, 20);
    }
}
