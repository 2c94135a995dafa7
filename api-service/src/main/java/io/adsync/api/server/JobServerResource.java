package io.adsync.api.server;

import io.adsync.api.common.Page;
import io.adsync.api.common.PageRequest;
import io.adsync.api.common.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/job-servers")
@Tag(name = "Job servers", description = "Machines that run sync workers, and whether each may claim work")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
public class JobServerResource {

    static final String EXAMPLE = """
            {"id":"a1b2c3d4-0000-4000-8000-000000000001","name":"sync-worker-0","canBeJobServer":true,"status":"ONLINE",
             "lastHeartbeatAt":"2026-11-21T08:00:05Z","softwareVersion":"0.1.0","startedAt":"2026-11-21T07:00:00Z",
             "createdAt":"2026-11-20T07:00:00Z","version":3}""";

    private final JobServerService servers;

    public JobServerResource(JobServerService servers) {
        this.servers = servers;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Operation(summary = "List job servers", description = "Each with ONLINE/OFFLINE derived from its heartbeat age.")
    @APIResponse(responseCode = "200", description = "A page of job servers")
    public Page<JobServerResponse> list(@Valid @BeanParam PageRequest page) {
        return servers.list(page.page(), page.size());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}")
    @Operation(summary = "Get a job server")
    @APIResponse(responseCode = "200", description = "The job server", content = @Content(examples = @ExampleObject(name = "server", value = EXAMPLE)))
    public JobServerResponse get(@PathParam("id") UUID id) {
        return servers.get(id);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Pre-register a job server by name", description = "A worker starting under that name reuses the row and its canBeJobServer flag.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "parked server", value = "{\"name\":\"sync-worker-9\",\"canBeJobServer\":false}")))
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(examples = @ExampleObject(name = "server", value = EXAMPLE)))
    @APIResponse(responseCode = "409", description = "The name is taken")
    public Response register(@Valid @NotNull JobServerRequest body, UriInfo uri) {
        JobServerResponse created = servers.register(body);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created).build();
    }

    @PATCH
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(summary = "Allow or stop claiming", description = "Takes effect within one poll interval, without a restart. Running syncs finish.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "stop claiming", value = "{\"canBeJobServer\":false}")))
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(examples = @ExampleObject(name = "server", value = EXAMPLE)))
    public JobServerResponse patch(@PathParam("id") UUID id, @Valid @NotNull JobServerPatch body) {
        return servers.patch(id, body);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(summary = "Forget an offline job server")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "The server is online")
    public void delete(@PathParam("id") UUID id) {
        servers.delete(id);
    }
}
