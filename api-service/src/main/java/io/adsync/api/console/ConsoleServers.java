package io.adsync.api.console;

import io.adsync.api.common.Roles;
import io.adsync.api.server.JobServerPatch;
import io.adsync.api.server.JobServerResponse;
import io.adsync.api.server.JobServerService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.UUID;

/** Console: job servers, and the Can Be Job Server toggle ({@code PATCH /job-servers/{id}} through the same service). */
@Path("/console/servers")
@Produces(MediaType.TEXT_HTML)
public class ConsoleServers {

    @Inject
    JobServerService servers;
    @Inject
    ConsoleView view;

    @Inject
    @Location("console/servers.html")
    Template page;
    @Inject
    @Location("console/server-row.html")
    Template row;

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String list() {
        return view.page(page, "servers").data("servers", servers.list(0, 500).items()).render();
    }

    /** The toggle (htmx): sets canBeJobServer and answers the server's row as it now is. */
    @POST
    @Path("{id}/can-be-job-server")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String toggle(@PathParam("id") UUID id, MultivaluedMap<String, String> body) {
        boolean value = body.containsKey("canBeJobServer") && !"false".equals(body.getFirst("canBeJobServer"));
        JobServerResponse s = servers.patch(id, new JobServerPatch(value, null));
        return row.data("v", view.view("servers")).data("s", s).render();
    }
}
