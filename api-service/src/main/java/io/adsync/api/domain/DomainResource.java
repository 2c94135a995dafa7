package io.adsync.api.domain;

import io.adsync.api.common.Page;
import io.adsync.api.common.PageRequest;
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

@Path("/domains")
@Tag(name = "Domains", description = "Active Directory domains: controllers, TLS, bind account, search base and filter")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DomainResource {

    static final String EXAMPLE = """
            {"name":"corp.example.com","hosts":["dc1.corp.example.com","dc2.corp.example.com"],"security":"LDAPS",
             "bindDn":"svc-adsync@corp.example.com","bindPassword":"s3cret!","baseDn":"OU=Staff,DC=corp,DC=example,DC=com",
             "userFilter":"(&(objectCategory=person)(objectClass=user))","pageSize":1000}""";
    static final String RESPONSE_EXAMPLE = """
            {"id":"6f1c2f4e-2a8e-4c1e-9a57-0d8f3c1b2a10","name":"corp.example.com","hosts":["dc1.corp.example.com","dc2.corp.example.com"],
             "port":636,"security":"LDAPS","bindDn":"svc-adsync@corp.example.com","bindPasswordSet":true,
             "baseDn":"OU=Staff,DC=corp,DC=example,DC=com","userFilter":"(&(objectCategory=person)(objectClass=user))",
             "pageSize":1000,"connectTimeoutSeconds":10,"readTimeoutSeconds":60,
             "createdAt":"2026-11-21T08:00:00Z","updatedAt":"2026-11-21T08:00:00Z","version":0}""";

    private final DomainService domains;

    public DomainResource(DomainService domains) {
        this.domains = domains;
    }

    @POST
    @Operation(summary = "Register a domain", description = "The bind password is encrypted at rest and never returned.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "LDAPS domain", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(examples = @ExampleObject(name = "created", value = RESPONSE_EXAMPLE)))
    @APIResponse(responseCode = "409", description = "A domain with that name exists")
    public Response create(@Valid @NotNull DomainRequest body, UriInfo uri) {
        DomainResponse created = domains.create(body);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build()).entity(created).build();
    }

    @GET
    @Operation(summary = "List domains", description = "Sorted by name, paginated.")
    @APIResponse(responseCode = "200", description = "A page of domains")
    public Page<DomainResponse> list(@Valid @BeanParam PageRequest page) {
        return domains.list(page.page(), page.size());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Get a domain")
    @APIResponse(responseCode = "200", description = "The domain",
            content = @Content(examples = @ExampleObject(name = "domain", value = RESPONSE_EXAMPLE)))
    public DomainResponse get(@PathParam("id") UUID id) {
        return domains.get(id);
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a domain", description = "Leave out bindPassword to keep the stored one. Send the version you read to guard against lost updates.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "update", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "409", description = "Stale version, or the name is taken")
    public DomainResponse update(@PathParam("id") UUID id, @Valid @NotNull DomainRequest body) {
        return domains.update(id, body);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a domain", description = "Refused with 409, naming the jobs, while any job references the domain. Its accounts are deleted with it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "Jobs still reference the domain")
    public void delete(@PathParam("id") UUID id) {
        domains.delete(id);
    }
}
