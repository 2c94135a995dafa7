package io.adsync.api.run;

import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Page;
import io.adsync.api.job.JobService;
import io.adsync.run.JobRun;
import io.adsync.run.RunOptions;
import io.adsync.run.RunState;
import io.adsync.run.ledger.RunLedger;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import org.jdbi.v3.core.Jdbi;

import java.util.UUID;

@ApplicationScoped
public class RunService {

    private final Jdbi jdbi;

    public RunService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Queues a manual run, even for a disabled job, and wakes the workers (through the run ledger). */
    public RunResponse queueManual(UUID jobId, RunRequest req) {
        JobService.find(jobId);
        RunOptions options = req == null ? RunOptions.DEFAULT : new RunOptions(req.mode(), req.allowMassDeactivation());
        UUID id = jdbi.inTransaction(h -> RunLedger.queueManual(h, jobId, options));
        return get(id);
    }

    public Page<RunResponse> history(UUID jobId, int page, int size) {
        JobService.find(jobId);
        return Page.of(JobRun.<JobRun>find("jobId", Sort.descending("createdAt").and("id"), jobId), page, size, RunResponse::of);
    }

    public RunResponse get(UUID id) {
        return RunResponse.of(find(id));
    }

    /**
     * A queued run is cancelled at once. A running run is flagged; its worker stops it at the next page or
     * heartbeat and records CANCELLED. A finished run cannot be cancelled (409). The run ledger does the writing.
     */
    public RunResponse cancel(UUID id) {
        RunState before = jdbi.inTransaction(h -> RunLedger.cancel(h, id)).orElseThrow(() -> ApiErrors.notFound("run", id));
        if (before != RunState.QUEUED && before != RunState.RUNNING) {
            throw ApiErrors.conflict("run " + id + " already finished as " + before, "state", before);
        }
        return get(id);
    }

    private static JobRun find(UUID id) {
        JobRun r = JobRun.findById(id);
        if (r == null) {
            throw ApiErrors.notFound("run", id);
        }
        return r;
    }
}
