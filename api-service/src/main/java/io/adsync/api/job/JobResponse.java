package io.adsync.api.job;

import io.adsync.job.JobType;
import io.adsync.job.SyncJob;
import io.adsync.run.RunState;
import io.adsync.schedule.Schedule;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

@Schema(name = "Job")
public record JobResponse(UUID id, JobType type, String name, String description, UUID domainId, boolean syncAllDomains,
                          boolean requeueOnFailure, boolean enabled,
                          @Schema(implementation = ScheduleDoc.class) Schedule schedule,
                          @Schema(description = "When the schedule next makes the job due; null if it never will (MANUAL or disabled)")
                          Instant nextRunAt,
                          int maxDeactivations, int maxDeactivationPercent,
                          @Schema(description = "A full sync of each domain runs at least this often; incremental syncs in between",
                                  example = "P1D", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)
                          Duration fullSyncInterval,
                          @Schema(description = "The run in progress, if any") UUID currentRunId,
                          @Schema(description = "Summary of the last finished run, if any") LastRun lastRun,
                          Instant createdAt, Instant updatedAt, long version) {

    public record LastRun(UUID id, RunState state, Instant startedAt, Instant finishedAt, String error) {
    }

    static JobResponse of(SyncJob j) {
        LastRun last = j.lastRunId == null ? null
                : new LastRun(j.lastRunId, j.lastRunState, j.lastRunStartedAt, j.lastRunFinishedAt, j.lastRunError);
        return new JobResponse(j.id, j.type, j.name, j.description, j.domainId, j.syncAllDomains, j.requeueOnFailure,
                j.enabled, j.schedule, j.nextRunAt, j.maxDeactivations, j.maxDeactivationPercent, j.fullSyncInterval, j.currentRunId, last,
                j.createdAt, j.updatedAt, j.version);
    }
}
