package io.adsync.api.server;

import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PATCH /job-servers/{id}}. */
@Schema(name = "JobServerPatch")
public record JobServerPatch(
        @Schema(description = "false stops the server claiming within one poll interval; true resumes it", required = true)
        @NotNull Boolean canBeJobServer,
        @Schema(description = "Optional: the version you read; a stale one is refused with 409")
        Long version) {
}
