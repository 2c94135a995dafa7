package io.adsync.api.console;

import io.adsync.account.Account;
import io.adsync.api.common.Filter;
import io.adsync.api.common.Page;
import io.adsync.api.common.QueryParams;
import io.adsync.api.common.Roles;
import io.adsync.api.domain.DomainResponse;
import io.adsync.api.domain.DomainService;
import io.adsync.api.group.GroupService;
import io.adsync.api.common.ApiErrors;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Console: accounts and groups mirrored from the directory: search, filter by domain and active, detail. Everything
 * shown here came from AD and is untrusted: the templates only ever print it escaped.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleDirectory {

    @Inject
    GroupService groups;
    @Inject
    DomainService domains;
    @Inject
    ConsoleView view;

    @Inject
    @Location("console/accounts.html")
    Template accountsPage;
    @Inject
    @Location("console/account.html")
    Template accountPage;
    @Inject
    @Location("console/groups.html")
    Template groupsPage;
    @Inject
    @Location("console/group.html")
    Template groupPage;

    @GET
    @Path("accounts")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String accounts(@QueryParam("q") String q, @QueryParam("domainId") String domainId,
                                     @QueryParam("active") String active, @QueryParam("page") String page) {
        UUID dom = blank(domainId) ? null : QueryParams.uuid("domainId", domainId);
        Boolean act = blank(active) ? null : QueryParams.bool("active", active);
        String text = blank(q) ? null : q.trim();
        if (text != null && text.length() > 200) {
            text = text.substring(0, 200);
        }
        int p = QueryParams.integer("page", page, 0, 0, 1_000_000);
        // the same query as GET /accounts
        Filter filter = new Filter().equal("domainId", dom).equal("active", act).containsIgnoreCase(text, "username", "email", "displayName");
        Page<Account> result = Page.of(Account.<Account>find(filter.query(), Sort.by("username").and("id"), filter.params()), p, 25, a -> a);
        return view.page(accountsPage, "accounts").data("accounts", result.items()).data("pager", Pager.of(result))
                .data("q", text == null ? "" : text).data("domainId", dom == null ? "" : dom.toString())
                .data("active", act == null ? "" : act.toString()).data("domains", domainList()).data("names", names())
                .data("pagerBase", base("/console/accounts", text, dom, act)).render();
    }

    @GET
    @Path("accounts/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String account(@PathParam("id") UUID id) {
        Account a = Account.findById(id);
        if (a == null) {
            throw ApiErrors.notFound("account", id);
        }
        return view.page(accountPage, "accounts").data("a", a).data("domain", names().get(a.domainId))
                .data("direct", groups.groupsOfAccount(id, false, 0, 200).items())
                .data("effective", groups.groupsOfAccount(id, true, 0, 200).items()).render();
    }

    @GET
    @Path("groups")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String groups(@QueryParam("q") String q, @QueryParam("domainId") String domainId,
                                   @QueryParam("active") String active, @QueryParam("page") String page) {
        UUID dom = blank(domainId) ? null : QueryParams.uuid("domainId", domainId);
        Boolean act = blank(active) ? null : QueryParams.bool("active", active);
        String text = blank(q) ? null : q.trim();
        int p = QueryParams.integer("page", page, 0, 0, 1_000_000);
        var result = groups.list(dom, act, text, p, 25);
        return view.page(groupsPage, "groups").data("groups", result.items()).data("pager", Pager.of(result))
                .data("q", text == null ? "" : text).data("domainId", dom == null ? "" : dom.toString())
                .data("active", act == null ? "" : act.toString()).data("domains", domainList()).data("names", names())
                .data("pagerBase", base("/console/groups", text, dom, act)).render();
    }

    @GET
    @Path("groups/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.READER})
    public String group(@PathParam("id") UUID id) {
        var g = groups.get(id);
        return view.page(groupPage, "groups").data("g", g).data("domain", names().get(g.domainId()))
                .data("direct", groups.members(id, false, 0, 200).items())
                .data("effective", groups.members(id, true, 0, 200).items()).render();
    }

    private List<DomainResponse> domainList() {
        return domains.list(0, 500).items();
    }

    private Map<UUID, String> names() {
        Map<UUID, String> m = new LinkedHashMap<>();
        domainList().forEach(d -> m.put(d.id(), d.name()));
        return m;
    }

    private static String base(String path, String q, UUID domainId, Boolean active) {
        return path + "?q=" + java.net.URLEncoder.encode(q == null ? "" : q, java.nio.charset.StandardCharsets.UTF_8)
                + "&domainId=" + (domainId == null ? "" : domainId) + "&active=" + (active == null ? "" : active);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
