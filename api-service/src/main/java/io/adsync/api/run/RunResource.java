package io.adsync.api.run;

import io.adsync.api.common.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/**
 * {@code /runs/{id}}. A job's runs ({@code /jobs/{id}/runs}) are in {@link JobRunResource}: a resource class at
 * {@code /} would never see them, because {@code /jobs/...} requests are routed to the {@code /jobs} resource class.
 */
@Path("/runs")
@Tag(name = "Runs", description = "Run a job by hand, follow its progress, read the history, cancel")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RunResource {

    static final String RUN_EXAMPLE = """
            {"id":"5d0b1a3c-9e2f-4a61-8c7d-2b3e4f5a6b7c","jobId":"0b6f7a52-8d7e-4d0e-a2c1-3c5a4e0f9b11","attempt":1,
             "trigger":"MANUAL","state":"RUNNING","jobServerId":"a1b2c3d4-0000-4000-8000-000000000001",
             "leaseUntil":"2026-11-21T08:00:40Z","notBefore":"2026-11-21T08:00:00Z","createdAt":"2026-11-21T08:00:00Z",
             "startedAt":"2026-11-21T08:00:00Z","cancelRequested":false,"options":{},"mode":"FULL","modeReason":"no watermark yet",
             "progress":{"entriesRead":3000,"pages":3,"domain":"corp.example.com"},
             "stats":{"created":2900,"updated":0,"deactivated":0,"reactivated":0,"unchanged":100,"errors":0},"details":{}}""";

    private final RunService runs;

    public RunResource(RunService runs) {
        this.runs = runs;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}")
    @Operation(summary = "Get a run", description = "While RUNNING, progress shows entries read and pages so far.")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(examples = @ExampleObject(name = "running", value = RUN_EXAMPLE)))
    public RunResponse get(@PathParam("id") UUID id) {
        return runs.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a run", description = "A queued run is cancelled at once; a running one is stopped by its worker within seconds (cancelRequested: true until then).")
    @APIResponse(responseCode = "202", description = "Cancelled, or cancellation requested")
    @APIResponse(responseCode = "409", description = "The run already finished")
    public Response cancel(@PathParam("id") UUID id) {
        return Response.accepted(runs.cancel(id)).build();
    }
}
