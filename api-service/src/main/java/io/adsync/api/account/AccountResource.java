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
import jakarta.ws.rs.core.MediaType;
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

    private final GroupService groups;

    public AccountResource(GroupService groups) {
        this.groups = groups;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Operation(summary = "List accounts", description = "Filter by domain, active state, and q (case-insensitive substring of username, email or display name). Sorted by username.")
    @APIResponse(responseCode = "200", description = "A page of accounts")
    public Page<AccountResponse> list(@Parameter(description = "Only accounts of this domain") @QueryParam("domainId") String domainIdParam,
                                      @Parameter(description = "Only active (true) or deactivated (false) accounts") @QueryParam("active") String activeParam,
                                      @Parameter(description = "Search text", example = "smith") @QueryParam("q") @Size(max = 200) String q,
                                      @Valid @BeanParam PageRequest page) {
        UUID domainId = QueryParams.uuid("domainId", domainIdParam);
        Boolean active = QueryParams.bool("active", activeParam);
        Filter filter = new Filter().equal("domainId", domainId).equal("active", active)
                .containsIgnoreCase(q, "username", "email", "displayName");
        Sort sort = Sort.by("username").and("id");
        return Page.of(Account.<Account>find(filter.query(), sort, filter.params()), page.page(), page.size(), AccountResponse::of);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}")
    @Operation(summary = "Get an account")
    @APIResponse(responseCode = "200", description = "The account")
    public AccountResponse get(@PathParam("id") UUID id) {
        Account a = Account.findById(id);
        if (a == null) {
            throw ApiErrors.notFound("account", id);
        }
        return AccountResponse.of(a);
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
