package io.adsync.api.job;

import io.adsync.job.JobType;
import io.adsync.job.SyncJob;
import io.adsync.schedule.Schedule;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.util.UUID;

/** Body of {@code POST /jobs} and {@code PUT /jobs/{id}}. Give exactly one of domainId and syncAllDomains: true. */
@Schema(name = "JobRequest")
public record JobRequest(
        @Schema(description = "Job type", defaultValue = "AD_SYNC")
        JobType type,

        @Schema(description = "Unique name", example = "Nightly AD sync")
        @NotBlank @Size(max = 200)
        String name,

        @Schema(description = "Free text", example = "Keeps staff accounts in step with corp.example.com")
        @Size(max = 2000)
        String description,

        @Schema(description = "The domain to sync; leave out when syncAllDomains is true")
        UUID domainId,

        @Schema(description = "Sync every registered domain, each in turn", defaultValue = "false")
        Boolean syncAllDomains,

        @Schema(description = "Retry a failed run with exponential backoff", defaultValue = "false")
        Boolean requeueOnFailure,

        @Schema(description = "A disabled job runs only when started by hand", defaultValue = "true")
        Boolean enabled,

        @Schema(description = "When the job runs", implementation = ScheduleDoc.class)
        @NotNull
        Schedule schedule,

        @Schema(description = "Deletion guard: a run may deactivate at most this many accounts per domain",
                defaultValue = "" + SyncJob.DEFAULT_MAX_DEACTIVATIONS)
        @Min(0) @Max(10_000_000)
        Integer maxDeactivations,

        @Schema(description = "Deletion guard: ... and at most this percentage of the domain's active accounts",
                defaultValue = "" + SyncJob.DEFAULT_MAX_DEACTIVATION_PERCENT)
        @Min(0) @Max(100)
        Integer maxDeactivationPercent,

        @Schema(description = "A full sync of each domain runs at least this often (ISO-8601 duration, PT1M to P366D); "
                + "runs in between read only what changed since the last one (incremental)", defaultValue = "P1D",
                example = "PT12H", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)
        Duration fullSyncInterval,

        @Schema(description = "On update: the version you read. A stale version is refused with 409.")
        Long version) {
}
