package io.adsync.api.console;

import io.adsync.api.common.Roles;
import io.adsync.api.domain.ConnectionTestResponse;
import io.adsync.api.domain.DomainResponse;
import io.adsync.api.domain.DomainService;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.UUID;

/** Console: domains, their form (every setting; the password write-only) and Test connection. */
@Path("/console/domains")
@Produces(MediaType.TEXT_HTML)
public class ConsoleDomains {

    @Inject
    DomainService domains;
    @Inject
    Validator validator;
    @Inject
    ConsoleView view;

    @Inject
    @Location("console/domains.html")
    Template listPage;
    @Inject
    @Location("console/domain-form.html")
    Template formPage;
    @Inject
    @Location("console/connection-test.html")
    Template testFragment;

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String list() {
        return view.page(listPage, "domains").data("domains", domains.list(0, 500).items()).render();
    }

    @GET
    @Path("new")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String newDomain() {
        return form(new DomainForm(), new FieldErrors(), "New domain").render();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String edit(@PathParam("id") UUID id) {
        return form(DomainForm.of(domains.get(id)), new FieldErrors(), "Domain").render();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> body) {
        return save(null, body);
    }

    @POST
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") UUID id, MultivaluedMap<String, String> body) {
        return save(id, body);
    }

    /** Test connection (htmx): the classified result, in the form. */
    @POST
    @Path("{id}/test")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public String test(@PathParam("id") UUID id) {
        ConnectionTestResponse t = domains.test(id);
        return testFragment.data("t", t).render();
    }

    private Response save(UUID id, MultivaluedMap<String, String> body) {
        DomainForm form = DomainForm.of(body);
        String password = body.getFirst("bindPassword");
        DomainForm.Parsed parsed = form.toRequest(password);
        FieldErrors errors = FieldErrors.of(parsed.violations());
        if (errors.isEmpty()) {
            errors.addAll(validator.validate(parsed.request()));
        }
        if (errors.isEmpty()) {
            try {
                DomainResponse saved = id == null ? domains.create(parsed.request()) : domains.update(id, parsed.request());
                return Response.seeOther(URI.create("/console/domains/" + saved.id() + "?saved=1")).build();
            } catch (HttpProblem p) {
                errors.add(p);
            }
        }
        if (id != null) {
            form.id = id.toString();
            form.bindPasswordSet = true;
        }
        return Response.status(400).entity(form(form, errors, id == null ? "New domain" : "Domain").render()).type(MediaType.TEXT_HTML).build();
    }

    private TemplateInstance form(DomainForm form, FieldErrors errors, String title) {
        return view.page(formPage, "domains").data("f", form).data("errors", errors).data("title", title);
    }
}
