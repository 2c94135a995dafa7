package io.adsync.api.run;

import io.adsync.api.common.Page;
import io.adsync.api.common.PageRequest;
import io.adsync.api.common.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

import static io.adsync.api.run.RunResource.RUN_EXAMPLE;

/** {@code /jobs/{id}/runs}: run a job now, and its run history. */
@Path("/jobs/{id}/runs")
@Tag(name = "Runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobRunResource {

    private final RunService runs;

    public JobRunResource(RunService runs) {
        this.runs = runs;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Run a job now", description = "Queues a manual run, even for a disabled job. An idle worker pool starts it within a second.")
    @RequestBody(required = false, content = @Content(examples = {
            @ExampleObject(name = "default", value = "{}"),
            @ExampleObject(name = "full sync, allow mass deactivation", value = "{\"mode\":\"FULL\",\"allowMassDeactivation\":true}")}))
    @APIResponse(responseCode = "202", description = "Queued",
            content = @Content(examples = @ExampleObject(name = "queued", value = RUN_EXAMPLE)))
    public Response runNow(@PathParam("id") UUID jobId, @Valid RunRequest body) {
        RunResponse run = runs.queueManual(jobId, body);
        return Response.accepted(run).location(UriBuilder.fromPath("/runs/{id}").build(run.id())).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Operation(summary = "A job's run history", description = "Newest first, paginated.")
    @APIResponse(responseCode = "200", description = "A page of runs")
    public Page<RunResponse> history(@PathParam("id") UUID jobId, @Valid @BeanParam PageRequest page) {
        return runs.history(jobId, page.page(), page.size());
    }
}
