package io.adsync.api.server;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /job-servers}: pre-register a server by name, e.g. to keep it from claiming before it starts. */
@Schema(name = "JobServerRequest")
public record JobServerRequest(
        @Schema(description = "Host or pod name the worker will register under", example = "sync-worker-0")
        @NotBlank @Size(max = 253) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]*$", message = "must be a host or pod name")
        String name,
        @Schema(description = "Whether the server may claim work", defaultValue = "true")
        Boolean canBeJobServer) {
}
