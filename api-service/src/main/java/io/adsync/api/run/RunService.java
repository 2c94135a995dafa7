package io.adsync.api.run;

import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Page;
import io.adsync.api.common.WorkerSignals;
import io.adsync.api.job.JobService;
import io.adsync.run.ErrorCategory;
import io.adsync.run.JobRun;
import io.adsync.run.RunOptions;
import io.adsync.run.RunState;
import io.adsync.run.RunTrigger;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class RunService {

    private final WorkerSignals signals;

    public RunService(WorkerSignals signals) {
        this.signals = signals;
    }

    /** Queues a manual run, even for a disabled job, and wakes the workers. */
    @Transactional
    public RunResponse queueManual(UUID jobId, RunRequest req) {
        JobService.find(jobId);
        JobRun r = new JobRun();
        r.id = UUID.randomUUID();
        r.jobId = jobId;
        r.trigger = RunTrigger.MANUAL;
        r.state = RunState.QUEUED;
        r.options = req == null ? RunOptions.DEFAULT : new RunOptions(req.mode(), req.allowMassDeactivation());
        r.persist();
        signals.wakeUp(jobId);
        return RunResponse.of(r);
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
     * heartbeat and records CANCELLED. A finished run cannot be cancelled (409).
     */
    @Transactional
    public RunResponse cancel(UUID id) {
        JobRun r = JobRun.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            throw ApiErrors.notFound("run", id);
        }
        switch (r.state) {
            case QUEUED -> {
                r.state = RunState.CANCELLED;
                r.finishedAt = Instant.now();
                r.errorCategory = ErrorCategory.CANCELLED;
                r.errorMessage = "cancelled before it started";
            }
            case RUNNING -> {
                r.cancelRequested = true;
                signals.cancel(r.id);
            }
            default -> throw ApiErrors.conflict("run " + id + " already finished as " + r.state, "state", r.state);
        }
        JobRun.getEntityManager().flush();
        return RunResponse.of(r);
    }

    private static JobRun find(UUID id) {
        JobRun r = JobRun.findById(id);
        if (r == null) {
            throw ApiErrors.notFound("run", id);
        }
        return r;
    }
}
