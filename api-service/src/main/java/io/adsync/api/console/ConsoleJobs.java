package io.adsync.api.console;

import io.adsync.api.common.Page;
import io.adsync.api.common.QueryParams;
import io.adsync.api.common.Roles;
import io.adsync.api.domain.DomainResponse;
import io.adsync.api.domain.DomainService;
import io.adsync.api.job.JobRequest;
import io.adsync.api.job.JobResponse;
import io.adsync.api.job.JobService;
import io.adsync.api.run.RunRequest;
import io.adsync.api.run.RunResponse;
import io.adsync.api.run.RunService;
import io.adsync.common.Violation;
import io.adsync.run.RunState;
import io.adsync.schedule.Schedule;
import io.adsync.schedule.ScheduleValidator;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Console: Scheduled Jobs (the home page), the New AD Sync Job / Edit dialog, job detail with run history and live
 * progress. Every change goes through {@link JobService} and {@link RunService}, as the REST API's do.
 */
@Path("/console/jobs")
@Produces(MediaType.TEXT_HTML)
public class ConsoleJobs {

    static final int PAGE_SIZE = 25;

    @Inject
    JobService jobs;
    @Inject
    DomainService domains;
    @Inject
    RunService runs;
    @Inject
    Validator validator;
    @Inject
    ConsoleView view;

    @Inject
    @Location("console/jobs.html")
    Template listPage;
    @Inject
    @Location("console/job-form.html")
    Template formPage;
    @Inject
    @Location("console/job.html")
    Template detailPage;
    @Inject
    @Location("console/job-live.html")
    Template liveFragment;
    @Inject
    @Location("console/schedule-preview.html")
    Template previewFragment;

    public record Row(JobResponse job, String target, String schedule) {
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String list(@QueryParam("enabled") String enabled, @QueryParam("domainId") String domainId,
                                 @QueryParam("page") String page, @QueryParam("saved") String saved) {
        int p = QueryParams.integer("page", page, 0, 0, 1_000_000);
        Boolean en = enabled == null || enabled.isBlank() ? null : QueryParams.bool("enabled", enabled);
        UUID dom = domainId == null || domainId.isBlank() ? null : QueryParams.uuid("domainId", domainId);
        Map<UUID, String> names = domainNames();
        Page<JobResponse> result = jobs.list(en, dom, p, PAGE_SIZE);
        List<Row> rows = result.items().stream().map(j -> new Row(j, target(j, names), ScheduleWords.describe(j.schedule()))).toList();
        return view.page(listPage, "jobs")
                .data("rows", rows).data("page", result).data("pager", Pager.of(result))
                .data("enabled", en == null ? "" : en.toString()).data("domainId", dom == null ? "" : dom.toString())
                .data("domains", domainList()).data("saved", saved)
                .data("pagerBase", "/console/jobs?enabled=" + (en == null ? "" : en) + "&domainId=" + (dom == null ? "" : dom)).render();
    }

    @GET
    @Path("new")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String newJob() {
        JobForm form = new JobForm();
        form.hours = "0";
        return form(form, new FieldErrors(), "New AD Sync Job").render();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> body) {
        JobForm form = JobForm.of(body);
        JobForm.Parsed parsed = form.toRequest();
        FieldErrors errors = check(parsed);
        if (errors.isEmpty()) {
            try {
                JobResponse created = jobs.create(parsed.request());
                return Response.seeOther(URI.create("/console/jobs?saved=" + created.id())).build();
            } catch (HttpProblem p) {
                errors.add(p);
            }
        }
        return Response.status(400).entity(form(form, errors, "New AD Sync Job").render()).type(MediaType.TEXT_HTML).build();
    }

    @GET
    @Path("{id}/edit")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String edit(@PathParam("id") UUID id) {
        return form(JobForm.of(jobs.get(id)), new FieldErrors(), "Edit AD Sync Job").render();
    }

    @POST
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") UUID id, MultivaluedMap<String, String> body) {
        JobForm form = JobForm.of(body);
        form.id = id.toString();
        JobForm.Parsed parsed = form.toRequest();
        FieldErrors errors = check(parsed);
        if (errors.isEmpty()) {
            try {
                jobs.update(id, parsed.request());
                return Response.seeOther(URI.create("/console/jobs/" + id)).build();
            } catch (HttpProblem p) {
                errors.add(p);
            }
        }
        return Response.status(400).entity(form(form, errors, "Edit AD Sync Job").render()).type(MediaType.TEXT_HTML).build();
    }

    @POST
    @Path("{id}/enabled")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setEnabled(@PathParam("id") UUID id, MultivaluedMap<String, String> body) {
        JobResponse j = jobs.get(id);
        boolean enabled = "true".equals(body.getFirst("enabled"));
        jobs.update(id, new JobRequest(j.type(), j.name(), j.description(), j.domainId(), j.syncAllDomains(),
                j.requeueOnFailure(), enabled, j.schedule(), j.maxDeactivations(), j.maxDeactivationPercent(),
                j.fullSyncInterval(), j.version()));
        return Response.seeOther(URI.create(back(body, "/console/jobs"))).build();
    }

    @POST
    @Path("{id}/delete")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") UUID id) {
        try {
            jobs.delete(id);
            return Response.seeOther(URI.create("/console/jobs")).build();
        } catch (HttpProblem p) {
            return Response.status(p.getStatusCode()).entity(detailPage(id, p.getDetail()).render()).type(MediaType.TEXT_HTML).build();
        }
    }

    /** Run now (optionally with allowMassDeactivation, from a run page whose deletion guard tripped): then its page. */
    @POST
    @Path("{id}/run")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response runNow(@PathParam("id") UUID id, MultivaluedMap<String, String> body) {
        boolean allowMass = "true".equals(body.getFirst("allowMassDeactivation"));
        RunResponse run = runs.queueManual(id, new RunRequest(null, allowMass ? Boolean.TRUE : null));
        return Response.seeOther(URI.create("/console/runs/" + run.id())).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String detail(@PathParam("id") UUID id, @QueryParam("page") String page) {
        return detailPage(id, null).data("historyPage", QueryParams.integer("page", page, 0, 0, 1_000_000)).render();
    }

    private TemplateInstance detailPage(UUID id, String error) {
        JobResponse j = jobs.get(id);
        return view.page(detailPage, "jobs").data("job", j).data("target", target(j, domainNames()))
                .data("schedule", ScheduleWords.describe(j.schedule()))
                .data("fullSync", j.fullSyncInterval() == null ? "" : ScheduleWords.span(j.fullSyncInterval()))
                .data("error", error).data("historyPage", 0);
    }

    /** The live part of the job page: its run history (polled while a run is going on). */
    @GET
    @Path("{id}/live")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String live(@PathParam("id") UUID id, @QueryParam("page") String page) {
        int p = QueryParams.integer("page", page, 0, 0, 1_000_000);
        JobResponse j = jobs.get(id);
        Page<RunResponse> history = runs.history(id, p, 20);
        boolean going = j.currentRunId() != null
                || history.items().stream().anyMatch(r -> r.state() == RunState.QUEUED || r.state() == RunState.RUNNING);
        return liveFragment.data("v", view.view("jobs")).data("job", j).data("history", history)
                .data("pager", Pager.of(history)).data("going", going).data("page", p).render();
    }

    /** The dialog's live sentence: what the schedule means and its next three runs. */
    @GET
    @Path("schedule-preview")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String preview(@jakarta.ws.rs.BeanParam PreviewParams params) {
        JobForm form = params.toForm();
        List<Violation> v = new ArrayList<>();
        Schedule s = form.schedule(v);
        if (v.isEmpty()) {
            v.addAll(ScheduleValidator.validate(s, "schedule"));
        }
        if (!v.isEmpty()) {
            return previewFragment.data("sentence", null).data("problem", v.getFirst().field() + ": " + v.getFirst().message())
                    .data("runs", List.of()).render();
        }
        return previewFragment.data("sentence", ScheduleWords.describe(s)).data("problem", null)
                .data("runs", ScheduleWords.nextRuns(s, Instant.now(), 3)).render();
    }

    /** The schedule fields of the dialog, as the preview's query string carries them. */
    public static class PreviewParams {
        @QueryParam("calendar") String calendar;
        @QueryParam("every") String every;
        @QueryParam("at") String at;
        @QueryParam("timeZone") String timeZone;
        @QueryParam("dayOfWeek") String dayOfWeek;
        @QueryParam("runWhen") String runWhen;
        @QueryParam("startAt") String startAt;
        @QueryParam("startZone") String startZone;
        @QueryParam("days") String days;
        @QueryParam("hours") String hours;
        @QueryParam("minutes") String minutes;
        @QueryParam("seconds") String seconds;
        @QueryParam("expression") String expression;
        @QueryParam("cronTimeZone") String cronTimeZone;

        JobForm toForm() {
            JobForm f = new JobForm();
            f.calendar = or(calendar, f.calendar);
            f.every = or(every, f.every);
            f.at = or(at, "");
            f.timeZone = or(timeZone, f.timeZone);
            f.dayOfWeek = or(dayOfWeek, f.dayOfWeek);
            f.runWhen = or(runWhen, f.runWhen);
            f.startAt = or(startAt, "");
            f.startZone = or(startZone, f.startZone);
            f.days = or(days, "0");
            f.hours = or(hours, "0");
            f.minutes = or(minutes, "0");
            f.seconds = or(seconds, "0");
            f.expression = or(expression, "");
            f.cronTimeZone = or(cronTimeZone, f.cronTimeZone);
            return f;
        }

        private static String or(String s, String d) {
            return s == null ? d : s;
        }
    }

    private FieldErrors check(JobForm.Parsed parsed) {
        FieldErrors errors = FieldErrors.of(parsed.violations());
        if (errors.isEmpty()) {
            // everything the API would refuse, at once: Bean Validation and the service's own rules
            errors.addAll(validator.validate(parsed.request()));
            JobService.violations(parsed.request()).forEach(v -> errors.add(v.field(), v.message()));
        }
        return errors;
    }

    private TemplateInstance form(JobForm form, FieldErrors errors, String title) {
        return view.page(formPage, "jobs").data("f", form).data("errors", errors).data("title", title)
                .data("domains", domainList())
                .data("zones", List.of("UTC", "Europe/Berlin", "Europe/London", "Europe/Paris", "America/New_York",
                        "America/Chicago", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"));
    }

    List<DomainResponse> domainList() {
        return domains.list(0, 500).items();
    }

    Map<UUID, String> domainNames() {
        Map<UUID, String> names = new LinkedHashMap<>();
        domainList().forEach(d -> names.put(d.id(), d.name()));
        return names;
    }

    static String target(JobResponse j, Map<UUID, String> names) {
        if (j.syncAllDomains()) {
            return "All domains";
        }
        return names.getOrDefault(j.domainId(), String.valueOf(j.domainId()));
    }

    static String back(MultivaluedMap<String, String> body, String dflt) {
        String back = body.getFirst("back");
        // only a console path of this site: never an open redirect
        return back != null && back.startsWith("/console/") && !back.startsWith("//") && !back.contains("\\") ? back : dflt;
    }
}
