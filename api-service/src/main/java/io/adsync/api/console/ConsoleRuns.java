package io.adsync.api.console;

import io.adsync.api.common.Roles;
import io.adsync.api.job.JobResponse;
import io.adsync.api.job.JobService;
import io.adsync.api.run.RunResponse;
import io.adsync.api.run.RunService;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunState;
import io.adsync.server.JobServer;
import io.quarkiverse.resteasy.problem.HttpProblem;
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
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Console: a run's page (live while it is queued or running), and Cancel. */
@Path("/console/runs")
@Produces(MediaType.TEXT_HTML)
public class ConsoleRuns {

    @Inject
    RunService runs;
    @Inject
    JobService jobs;
    @Inject
    ConsoleView view;

    @Inject
    @Location("console/run.html")
    Template page;
    @Inject
    @Location("console/run-live.html")
    Template live;

    /** One domain of a run's details ({@code details.domains[]}, as the worker writes them). */
    public record DomainDetail(String name, String state, String category, String message, String mode, String modeReason,
                               Map<String, Object> stats, Object entriesRead, Object pages, Object server,
                               Object activeBefore, Object notFound, Object deactivationThreshold, Object durationMs) {
    }

    public record Guard(long withheld, List<DomainDetail> domains) {
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String run(@PathParam("id") UUID id) {
        RunResponse r = runs.get(id);
        return data(page.data("v", view.view("jobs")), r).render();
    }

    @GET
    @Path("{id}/live")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String live(@PathParam("id") UUID id) {
        return data(live.data("v", view.view("jobs")), runs.get(id)).render();
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancel(@PathParam("id") UUID id, MultivaluedMap<String, String> body) {
        try {
            runs.cancel(id);
        } catch (HttpProblem p) {
            if (p.getStatusCode() != 409) {
                throw p;
            }
        }
        return Response.seeOther(URI.create(ConsoleJobs.back(body, "/console/runs/" + id))).build();
    }

    private TemplateInstance data(TemplateInstance t, RunResponse r) {
        JobResponse job = jobs.get(r.jobId());
        String server = null;
        if (r.jobServerId() != null) {
            JobServer s = JobServer.findById(r.jobServerId());
            server = s == null ? r.jobServerId().toString() : s.name;
        }
        List<DomainDetail> domains = domains(r.details());
        Guard guard = null;
        if (r.error() != null && r.error().category() == ErrorCategory.DELETION_THRESHOLD) {
            List<DomainDetail> tripped = domains.stream().filter(d -> ErrorCategory.DELETION_THRESHOLD.name().equals(d.category())).toList();
            long withheld = tripped.stream().mapToLong(d -> d.notFound() instanceof Number n ? n.longValue() : 0).sum();
            guard = new Guard(withheld, tripped);
        }
        boolean going = r.state() == RunState.QUEUED || r.state() == RunState.RUNNING;
        String duration = null;
        if (r.startedAt() != null) {
            Instant end = r.finishedAt() != null ? r.finishedAt() : Instant.now();
            duration = ScheduleWords.span(Duration.ofSeconds(Duration.between(r.startedAt(), end).toSeconds()));
        }
        return t.data("run", r).data("job", job).data("server", server).data("domains", domains).data("guard", guard)
                .data("going", going).data("duration", duration);
    }

    @SuppressWarnings("unchecked")
    static List<DomainDetail> domains(Map<String, Object> details) {
        List<DomainDetail> out = new ArrayList<>();
        if (details != null && details.get("domains") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> raw) {
                    Map<String, Object> m = (Map<String, Object>) raw;
                    out.add(new DomainDetail(str(m.get("name")), str(m.get("state")), str(m.get("category")), str(m.get("message")),
                            str(m.get("mode")), str(m.get("modeReason")),
                            m.get("stats") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of(),
                            m.get("entriesRead"), m.get("pages"), m.get("server"), m.get("activeBefore"), m.get("notFound"),
                            m.get("deactivationThreshold"), m.get("durationMs")));
                }
            }
        }
        return out;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
