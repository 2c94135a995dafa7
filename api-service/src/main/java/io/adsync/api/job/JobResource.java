package io.adsync.api.job;

import io.adsync.api.common.Page;
import io.adsync.api.common.PageRequest;
import io.adsync.api.common.QueryParams;
import io.adsync.api.common.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/jobs")
@Tag(name = "Jobs", description = "AD sync jobs: scope, schedule and failure handling")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JobResource {

    static final String EXAMPLE = """
            {"name":"Staff sync","description":"corp.example.com every 18h 35m 1s","domainId":"6f1c2f4e-2a8e-4c1e-9a57-0d8f3c1b2a10",
             "requeueOnFailure":true,"enabled":true,
             "schedule":{"type":"TIME_SPAN","runWhen":"IMMEDIATELY","interval":"PT18H35M1S"}}""";
    static final String ALL_DOMAINS_EXAMPLE = """
            {"name":"All domains nightly","syncAllDomains":true,
             "schedule":{"type":"SIMPLE","every":"DAILY","at":"02:30","timeZone":"Europe/Berlin"}}""";
    static final String RESPONSE_EXAMPLE = """
            {"id":"0b6f7a52-8d7e-4d0e-a2c1-3c5a4e0f9b11","type":"AD_SYNC","name":"Staff sync","description":"corp.example.com every 18h 35m 1s",
             "domainId":"6f1c2f4e-2a8e-4c1e-9a57-0d8f3c1b2a10","syncAllDomains":false,"requeueOnFailure":true,"enabled":true,
             "schedule":{"type":"TIME_SPAN","runWhen":"IMMEDIATELY","interval":"PT18H35M1S"},
             "nextRunAt":"2026-11-21T08:00:00Z","maxDeactivations":500,"maxDeactivationPercent":20,
             "currentRunId":null,"lastRun":null,"createdAt":"2026-11-21T08:00:00Z","updatedAt":"2026-11-21T08:00:00Z","version":0}""";

    private final JobService jobs;

    public JobResource(JobService jobs) {
        this.jobs = jobs;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a sync job", description = "The response carries the computed nextRunAt.")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "one domain, time span", value = EXAMPLE),
            @ExampleObject(name = "all domains, daily", value = ALL_DOMAINS_EXAMPLE)}))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(examples = @ExampleObject(name = "created", value = RESPONSE_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "A job with that name exists")
    @APIResponse(responseCode = "422", description = "domainId names no domain")
    public Response create(@Valid @NotNull JobRequest body, UriInfo uri) {
        JobResponse created = jobs.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Operation(summary = "List jobs", description = "Sorted by name, paginated, filterable by enabled and domainId.")
    @APIResponse(responseCode = "200", description = "A page of jobs")
    public Page<JobResponse> list(@Parameter(description = "Only enabled (true) or disabled (false) jobs") @QueryParam("enabled") String enabled,
                                  @Parameter(description = "Only jobs of this domain") @QueryParam("domainId") String domainId,
                                  @Valid @BeanParam PageRequest page) {
        return jobs.list(QueryParams.bool("enabled", enabled), QueryParams.uuid("domainId", domainId), page.page(), page.size());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}")
    @Operation(summary = "Get a job")
    @APIResponse(responseCode = "200", description = "The job",
            content = @Content(examples = @ExampleObject(name = "job", value = RESPONSE_EXAMPLE)))
    public JobResponse get(@PathParam("id") UUID id) {
        return jobs.get(id);
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(summary = "Replace a job", description = "A changed schedule, or enabling a disabled job, recomputes nextRunAt as for a new job.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "update", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "409", description = "Stale version, or the name is taken")
    @APIResponse(responseCode = "422", description = "domainId names no domain")
    public JobResponse update(@PathParam("id") UUID id, @Valid @NotNull JobRequest body) {
        return jobs.update(id, body);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(summary = "Delete a job and its run history", description = "Refused with 409 while a run is in progress.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A run is in progress")
    public void delete(@PathParam("id") UUID id) {
        jobs.delete(id);
    }
}
