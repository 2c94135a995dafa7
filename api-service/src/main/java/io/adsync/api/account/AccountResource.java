package io.adsync.api.account;

import io.adsync.api.common.Filter;
import io.adsync.account.Account;
import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Page;
import io.adsync.api.common.PageRequest;
import io.adsync.api.common.QueryParams;
import io.adsync.api.group.GroupResource;
import io.adsync.api.group.GroupResponse;
import io.adsync.api.group.GroupService;
import io.adsync.api.common.Roles;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

@Path("/accounts")
@Tag(name = "Accounts", description = "Local accounts created and kept in step by sync (read-only)")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    static final String ACCOUNT_EXAMPLE = """
            {"id":"0b7e54a6-5d1c-4b7e-9a43-1f0c2d3e4f50","domainId":"6f1c2f4e-2a8e-4c1e-9a57-0d8f3c1b2a10",
             "objectGuid":"a1b2c3d4-e5f6-4a1b-8c2d-3e4f5a6b7c8d","username":"jdoe","userPrincipalName":"jdoe@corp.example.com",
             "email":"john.doe@corp.example.com","displayName":"John Doe","givenName":"John","surname":"Doe",
             "distinguishedName":"CN=John Doe,OU=Staff,DC=corp,DC=example,DC=com","userAccountControl":512,
             "accountExpires":9223372036854775807,"active":true,"deactivationReason":null,
             "attributes":{"department":"Sales","title":"Account Manager","company":"Example Corp","employeeId":"E00042",
                           "telephoneNumber":"+1 555 0142","mobile":"+1 555 0199","office":"Building 2",
                           "manager":"CN=Anna Adams,OU=Staff,DC=corp,DC=example,DC=com"},
             "managerId":"7c9e6679-7425-40de-944b-e07fc1f90ae7",
             "lastSyncedAt":"2026-11-21T08:00:03Z","createdAt":"2026-11-21T08:00:03Z","updatedAt":"2026-11-21T08:00:03Z"}""";
    static final String PAGE_EXAMPLE = "{\"items\":[" + ACCOUNT_EXAMPLE + "],\"page\":0,\"size\":20,\"total\":1}";

    private final GroupService groups;
    private final AccountService accounts;

    public AccountResource(GroupService groups, AccountService accounts) {
        this.groups = groups;
        this.accounts = accounts;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Operation(summary = "List accounts", description = "Filter by domain, active state, q (case-insensitive substring of "
            + "username, email or display name) and mapped attributes: attr.<target>=<value> is an exact match of "
            + "attributes.<target> (e.g. attr.department=Sales; for a STRINGS attribute, a list containing the value; a "
            + "number or true/false also matches an INTEGER or BOOLEAN attribute), up to 8 of them, all of which must match; "
            + "an index answers it. Sorted by username.")
    @APIResponse(responseCode = "200", description = "A page of accounts",
            content = @Content(examples = @ExampleObject(name = "accounts", value = PAGE_EXAMPLE)))
    public Page<AccountResponse> list(@Parameter(description = "Only accounts of this domain") @QueryParam("domainId") String domainIdParam,
                                      @Parameter(description = "Only active (true) or deactivated (false) accounts") @QueryParam("active") String activeParam,
                                      @Parameter(description = "Search text", example = "smith") @QueryParam("q") @Size(max = 200) String q,
                                      @Parameter(name = "attr.department", description = "An attribute filter: attr.<target>=<value>, "
                                              + "for any mapping target (this one is an example)", example = "Sales")
                                      @QueryParam("attr.department") String exampleAttr,
                                      @Valid @BeanParam PageRequest page, @Context UriInfo uri) {
        UUID domainId = QueryParams.uuid("domainId", domainIdParam);
        Boolean active = QueryParams.bool("active", activeParam);
        return accounts.list(domainId, active, q, AccountService.attributeFilters(uri.getQueryParameters()), page.page(), page.size());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}")
    @Operation(summary = "Get an account")
    @APIResponse(responseCode = "200", description = "The account",
            content = @Content(examples = @ExampleObject(name = "account", value = ACCOUNT_EXAMPLE)))
    public AccountResponse get(@PathParam("id") UUID id) {
        Account a = Account.findById(id);
        if (a == null) {
            throw ApiErrors.notFound("account", id);
        }
        return AccountResponse.of(a);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}/reports")
    @Operation(summary = "List an account's reports",
            description = "The accounts whose managerId is this account (default), or with transitive=true also their "
                    + "reports, and theirs, each once (a cycle of managers is followed once; the account itself is never "
                    + "listed). Active and deactivated accounts alike: see each one's active. Sorted by username, paginated.")
    @APIResponse(responseCode = "200", description = "A page of accounts",
            content = @Content(examples = @ExampleObject(name = "reports", value = PAGE_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "No such account")
    public Page<AccountResponse> reports(@PathParam("id") UUID id,
                                         @Parameter(description = "true: every report below the account; false (default): direct reports only",
                                                 schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                                         @QueryParam("transitive") String transitiveParam,
                                         @Valid @BeanParam PageRequest page) {
        return accounts.reports(id, Boolean.TRUE.equals(QueryParams.bool("transitive", transitiveParam)), page.page(), page.size());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}/groups")
    @Operation(summary = "List an account's groups",
            description = "The groups the account is a direct member of (default), or with effective=true also the groups "
                    + "those are nested in, transitively (each group once). Sorted by name, paginated.")
    @APIResponse(responseCode = "200", description = "A page of groups",
            content = @Content(examples = @ExampleObject(name = "groups", value = GroupResource.PAGE_EXAMPLE)))
    public Page<GroupResponse> groups(@PathParam("id") UUID id,
                                      @Parameter(description = "true: also the groups reached through nesting; false (default): direct groups only",
                                              schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                                      @QueryParam("effective") String effectiveParam,
                                      @Valid @BeanParam PageRequest page) {
        return groups.groupsOfAccount(id, Boolean.TRUE.equals(QueryParams.bool("effective", effectiveParam)), page.page(), page.size());
    }
}
