package io.adsync.api.run;

import io.adsync.run.ErrorCategory;
import io.adsync.run.JobRun;
import io.adsync.run.RunOptions;
import io.adsync.run.RunProgress;
import io.adsync.run.RunState;
import io.adsync.run.RunStats;
import io.adsync.run.RunTrigger;
import io.adsync.run.SyncMode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

@Schema(name = "Run", description = "One execution of a job. progress is live while RUNNING.")
public record RunResponse(UUID id, UUID jobId, int attempt, RunTrigger trigger, RunState state, UUID jobServerId,
                          Instant leaseUntil, Instant notBefore, Instant scheduledFor, Instant createdAt,
                          Instant startedAt, Instant finishedAt, boolean cancelRequested, RunOptions options,
                          SyncMode mode, String modeReason, RunProgress progress, RunStats stats,
                          Map<String, Object> details, String message, RunError error) {

    public record RunError(ErrorCategory category, String message) {
    }

    static RunResponse of(JobRun r) {
        RunError error = r.errorCategory == null ? null : new RunError(r.errorCategory, r.errorMessage);
        return new RunResponse(r.id, r.jobId, r.attempt, r.trigger, r.state, r.jobServerId, r.leaseUntil, r.notBefore,
                r.scheduledFor, r.createdAt, r.startedAt, r.finishedAt, r.cancelRequested, r.options, r.mode, r.modeReason,
                r.progress, r.stats, r.details, r.message, error);
    }
}
