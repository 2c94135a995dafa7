package io.adsync.api.run;

import io.adsync.run.SyncMode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional body of {@code POST /jobs/{id}/runs}. */
@Schema(name = "RunRequest")
public record RunRequest(
        @Schema(description = "FULL forces a full enumeration; leave out to let the worker choose") SyncMode mode,
        @Schema(description = "Let this run deactivate more accounts than the job's deletion guard allows", defaultValue = "false")
        Boolean allowMassDeactivation) {
}
