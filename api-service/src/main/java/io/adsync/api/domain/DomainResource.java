package io.adsync.api.domain;

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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

@Path("/domains")
@Tag(name = "Domains", description = "Active Directory domains: controllers, TLS, bind account, search base and filter; connection test")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DomainResource {

    static final String EXAMPLE = """
            {"name":"corp.example.com","hosts":["dc1.corp.example.com","dc2.corp.example.com"],"security":"LDAPS",
             "bindDn":"svc-adsync@corp.example.com","bindPassword":"s3cret!","baseDn":"OU=Staff,DC=corp,DC=example,DC=com",
             "userFilter":"(&(objectCategory=person)(objectClass=user))","groupBaseDn":"OU=Groups,DC=corp,DC=example,DC=com",
             "groupFilter":"(objectClass=group)","pageSize":1000,
             "attributeMappings":[{"source":"department","target":"department","type":"STRING"},
                                  {"source":"title","target":"title","type":"STRING"},
                                  {"source":"manager","target":"manager","type":"DN_REFERENCE"},
                                  {"source":"proxyAddresses","target":"proxyAddresses","type":"STRINGS"},
                                  {"source":"thumbnailPhoto","target":"photo","type":"BINARY"}]}""";
    static final String RESPONSE_EXAMPLE = """
            {"id":"6f1c2f4e-2a8e-4c1e-9a57-0d8f3c1b2a10","name":"corp.example.com","hosts":["dc1.corp.example.com","dc2.corp.example.com"],
             "port":636,"security":"LDAPS","bindDn":"svc-adsync@corp.example.com","bindPasswordSet":true,
             "baseDn":"OU=Staff,DC=corp,DC=example,DC=com","userFilter":"(&(objectCategory=person)(objectClass=user))",
             "groupBaseDn":"OU=Groups,DC=corp,DC=example,DC=com","groupFilter":"(objectClass=group)",
             "pageSize":1000,"connectTimeoutSeconds":10,"readTimeoutSeconds":60,
             "attributeMappings":[{"source":"department","target":"department","type":"STRING"},
                                  {"source":"title","target":"title","type":"STRING"},
                                  {"source":"company","target":"company","type":"STRING"},
                                  {"source":"employeeID","target":"employeeId","type":"STRING"},
                                  {"source":"telephoneNumber","target":"telephoneNumber","type":"STRING"},
                                  {"source":"mobile","target":"mobile","type":"STRING"},
                                  {"source":"physicalDeliveryOfficeName","target":"office","type":"STRING"},
                                  {"source":"manager","target":"manager","type":"DN_REFERENCE"}],
             "attributeMappingsChangedAt":null,
             "createdAt":"2026-11-21T08:00:00Z","updatedAt":"2026-11-21T08:00:00Z","version":0}""";

    static final String TEST_OK_EXAMPLE = """
            {"ok":true,"category":null,"message":"bound to ldaps://dc1.corp.example.com:636 as svc-adsync@corp.example.com",
             "url":"ldaps://dc1.corp.example.com:636","dnsHostName":"dc1.corp.example.com",
             "defaultNamingContext":"DC=corp,DC=example,DC=com","baseDnFound":true,"durationMs":84,"unknownAttributes":[]}""";
    static final String TEST_UNKNOWN_ATTRIBUTE_EXAMPLE = """
            {"ok":true,"category":null,"message":"bound to ldaps://dc1.corp.example.com:636 as svc-adsync@corp.example.com; the schema does not know the mapped attribute(s) extensionAttribute99",
             "url":"ldaps://dc1.corp.example.com:636","dnsHostName":"dc1.corp.example.com",
             "defaultNamingContext":"DC=corp,DC=example,DC=com","baseDnFound":true,"durationMs":97,"unknownAttributes":["extensionAttribute99"]}""";
    static final String TEST_AUTH_EXAMPLE = """
            {"ok":false,"category":"AUTH","message":"ldaps://dc1.corp.example.com:636: bind as svc-adsync@corp.example.com refused: invalidCredentials (49): 80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52e, v4563",
             "url":null,"dnsHostName":null,"defaultNamingContext":null,"baseDnFound":false,"durationMs":41}""";
    static final String TEST_NO_DC_EXAMPLE = """
            {"ok":false,"category":"UNREACHABLE","message":"all 2 domain controllers failed: UNREACHABLE ldaps://dc1.corp.example.com:636: connect (TLS): ERR_04110_CANNOT_CONNECT_TO_SERVER Cannot connect to the server: Connection refused: ConnectException: Connection refused; UNREACHABLE ldaps://dc2.corp.example.com:636: connect (TLS): unknown host dc2.corp.example.com",
             "url":null,"dnsHostName":null,"defaultNamingContext":null,"baseDnFound":false,"durationMs":23}""";

    private final DomainService domains;

    public DomainResource(DomainService domains) {
        this.domains = domains;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
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
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Operation(summary = "List domains", description = "Sorted by name, paginated.")
    @APIResponse(responseCode = "200", description = "A page of domains")
    public Page<DomainResponse> list(@Valid @BeanParam PageRequest page) {
        return domains.list(page.page(), page.size());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}")
    @Operation(summary = "Get a domain")
    @APIResponse(responseCode = "200", description = "The domain",
            content = @Content(examples = @ExampleObject(name = "domain", value = RESPONSE_EXAMPLE)))
    public DomainResponse get(@PathParam("id") UUID id) {
        return domains.get(id);
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(summary = "Replace a domain", description = "Leave out bindPassword to keep the stored one. Send the version you read to guard against lost updates.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "update", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "409", description = "Stale version, or the name is taken")
    public DomainResponse update(@PathParam("id") UUID id, @Valid @NotNull DomainRequest body) {
        return domains.update(id, body);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}/test")
    @Operation(summary = "Test the connection to a domain",
            description = "Binds to the domain's controllers with the stored bind DN and password, trying the hosts in order "
                    + "(failover, as a sync does), reads the rootDSE and checks that the base DN exists, within the domain's "
                    + "connect and read timeouts. Runs synchronously in the API process (not on a job server, and no run is "
                    + "created), so the API must be able to reach the domain controllers. Always 200 when the domain exists: "
                    + "ok false with a category (UNREACHABLE, TLS, AUTH, TIMEOUT, PROTOCOL) and a message is a test result, "
                    + "not an error. The password is never returned or logged. A successful test also reads the DC's schema and "
                    + "lists the domain's mapped attributes it does not define in unknownAttributes.")
    @APIResponse(responseCode = "200", description = "The test ran; ok says whether it passed",
            content = @Content(schema = @Schema(implementation = ConnectionTestResponse.class), examples = {
                    @ExampleObject(name = "ok", value = TEST_OK_EXAMPLE),
                    @ExampleObject(name = "a mapped attribute the schema does not know", value = TEST_UNKNOWN_ATTRIBUTE_EXAMPLE),
                    @ExampleObject(name = "wrong password", value = TEST_AUTH_EXAMPLE),
                    @ExampleObject(name = "no controller reachable", value = TEST_NO_DC_EXAMPLE)}))
    public ConnectionTestResponse test(@PathParam("id") UUID id) {
        return domains.test(id);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("{id}")
    @Operation(summary = "Delete a domain", description = "Refused with 409, naming the jobs, while any job references the domain. Its accounts are deleted with it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "Jobs still reference the domain")
    public void delete(@PathParam("id") UUID id) {
        domains.delete(id);
    }
}
