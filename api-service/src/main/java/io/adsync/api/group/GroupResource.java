package io.adsync.api.group;

import io.adsync.api.common.Page;
import io.adsync.api.common.PageRequest;
import io.adsync.api.common.QueryParams;
import io.adsync.api.common.Roles;
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

import java.util.UUID;

@Path("/groups")
@Tag(name = "Groups", description = "Directory groups and their memberships, kept in step by sync for domains with a groupBaseDn (read-only)")
@Produces(MediaType.APPLICATION_JSON)
public class GroupResource {

    public static final String GROUP_EXAMPLE = """
            {"id":"0d6c3a52-4e1f-4b7a-9a55-2f1e8c9d7b10","domainId":"6f1c2f4e-2a8e-4c1e-9a57-0d8f3c1b2a10",
             "objectGuid":"a7c1f0e2-5b3d-4c8e-9f10-3e2d1c0b9a87","name":"Engineering","samAccountName":"engineering",
             "distinguishedName":"CN=Engineering,OU=Groups,DC=corp,DC=example,DC=com","description":"All engineers",
             "active":true,"deactivationReason":null,"lastSyncedAt":"2026-11-21T08:00:00Z",
             "createdAt":"2026-11-21T08:00:00Z","updatedAt":"2026-11-21T08:00:00Z"}""";
    public static final String PAGE_EXAMPLE = "{\"items\":[" + GROUP_EXAMPLE + "],\"page\":0,\"size\":20,\"total\":1}";
    static final String MEMBERS_EXAMPLE = """
            {"items":[
              {"type":"ACCOUNT","id":"3b0c9e1a-7d2f-4e5a-8b6c-1d0e9f8a7b6c","name":"alice","displayName":"Alice Smith",
               "distinguishedName":"CN=Alice Smith,OU=Staff,DC=corp,DC=example,DC=com","active":true},
              {"type":"GROUP","id":"5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716","name":"Platform","displayName":null,
               "distinguishedName":"CN=Platform,OU=Groups,DC=corp,DC=example,DC=com","active":true}],
             "page":0,"size":20,"total":2}""";

    private final GroupService groups;

    public GroupResource(GroupService groups) {
        this.groups = groups;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Operation(summary = "List groups", description = "Filter by domain, active state, and q (case-insensitive substring of "
            + "name, sAMAccountName or description). Sorted by name, paginated.")
    @APIResponse(responseCode = "200", description = "A page of groups",
            content = @Content(examples = @ExampleObject(name = "groups", value = PAGE_EXAMPLE)))
    public Page<GroupResponse> list(@Parameter(description = "Only groups of this domain") @QueryParam("domainId") String domainIdParam,
                                    @Parameter(description = "Only active (true) or deactivated (false) groups") @QueryParam("active") String activeParam,
                                    @Parameter(description = "Search text", example = "eng") @QueryParam("q") @Size(max = 200) String q,
                                    @Valid @BeanParam PageRequest page) {
        return groups.list(QueryParams.uuid("domainId", domainIdParam), QueryParams.bool("active", activeParam), q,
                page.page(), page.size());
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}")
    @Operation(summary = "Get a group")
    @APIResponse(responseCode = "200", description = "The group",
            content = @Content(examples = @ExampleObject(name = "group", value = GROUP_EXAMPLE)))
    public GroupResponse get(@PathParam("id") UUID id) {
        return groups.get(id);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    @Path("{id}/members")
    @Operation(summary = "List a group's members",
            description = "Direct members (default): the accounts and the nested groups the directory lists in the group's "
                    + "member attribute, accounts first, each sorted by name. With effective=true: every account that is a "
                    + "member of the group directly or through nested groups (transitively; cycles of nested groups are "
                    + "followed once), each account once, sorted by username. Only synced objects are members: a member "
                    + "outside the domain's user scope or group base DN is not listed. Paginated.")
    @APIResponse(responseCode = "200", description = "A page of members",
            content = @Content(examples = @ExampleObject(name = "direct members", value = MEMBERS_EXAMPLE)))
    public Page<GroupMemberResponse> members(@PathParam("id") UUID id,
                                             @Parameter(description = "true: transitive members (accounts only); false (default): direct members",
                                                     schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                                             @QueryParam("effective") String effectiveParam,
                                             @Valid @BeanParam PageRequest page) {
        return groups.members(id, Boolean.TRUE.equals(QueryParams.bool("effective", effectiveParam)), page.page(), page.size());
    }
}
