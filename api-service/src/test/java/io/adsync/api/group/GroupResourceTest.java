package io.adsync.api.group;

import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.anonymous;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.reader;
import static io.adsync.api.support.Api.violation;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Groups and memberships are written only by the worker, so these tests insert them with SQL into a domain made
 * through the API:
 * <pre>
 *   staff    = alice, bob, group eng
 *   eng      = carol, group platform, group staff   (a cycle: staff > eng > staff)
 *   platform = dave, alice
 *   empty
 *   gone     (inactive)
 * </pre>
 */
@QuarkusTest
class GroupResourceTest {

    @Inject
    TestDb db;

    private String domainId;
    private UUID alice;
    private UUID bob;
    private UUID carol;
    private UUID dave;
    private UUID erin;
    private UUID staff;
    private UUID eng;
    private UUID platform;
    private UUID empty;
    private UUID gone;

    @BeforeEach
    void seed() {
        domainId = createDomain();
        alice = account("alice", "Alice Smith", true);
        bob = account("bob", "Bob Jones", true);
        carol = account("carol", "Carol Doe", false);
        dave = account("dave", "Dave O'Brien", true);
        erin = account("erin", "Erin Nobody", true);
        staff = group("Staff", "staff", "All staff_members", true);
        eng = group("Engineering", "eng", "Builds things (100%)", true);
        platform = group("Platform", "platform", null, true);
        empty = group("Empty", "empty", "no members", true);
        gone = group("Gone", "gone", "deleted in AD", false);
        member(staff, alice);
        member(staff, bob);
        nest(staff, eng);
        member(eng, carol);
        nest(eng, platform);
        nest(eng, staff);
        member(platform, dave);
        member(platform, alice);
    }

    // --- GET /groups ------------------------------------------------------------------------------------------

    @Test
    void listFiltersByDomainSortedByName() {
        admin().queryParam("domainId", domainId).get("/groups").then().statusCode(200)
                .body("total", equalTo(5))
                .body("items.name", equalTo(List.of("Empty", "Engineering", "Gone", "Platform", "Staff")))
                .body("items.domainId", everyItem(equalTo(domainId)));
    }

    @Test
    void listFiltersByActiveAndQ() {
        admin().queryParam("domainId", domainId).queryParam("active", false).get("/groups").then().statusCode(200)
                .body("total", equalTo(1)).body("items.name", equalTo(List.of("Gone")))
                .body("items[0].deactivationReason", equalTo("not found in the directory"));
        // q: name, sAMAccountName or description, case-insensitive
        admin().queryParam("domainId", domainId).queryParam("q", "ENG").get("/groups").then().statusCode(200)
                .body("items.name", equalTo(List.of("Engineering")));
        admin().queryParam("domainId", domainId).queryParam("q", "form").get("/groups").then()
                .body("items.name", equalTo(List.of("Platform")));
        admin().queryParam("domainId", domainId).queryParam("q", "members").get("/groups").then()
                .body("items.name", equalTo(List.of("Empty", "Staff")));
        // % and _ are literal
        admin().queryParam("domainId", domainId).queryParam("q", "%").get("/groups").then()
                .body("items.name", equalTo(List.of("Engineering")));
        admin().queryParam("domainId", domainId).queryParam("q", "f_m").get("/groups").then()
                .body("items.name", equalTo(List.of("Staff")));
        admin().queryParam("domainId", domainId).queryParam("q", "nothing-like-this").get("/groups").then()
                .body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void listIsPaginatedWithTotal() {
        admin().queryParam("domainId", domainId).queryParam("page", 1).queryParam("size", 2).get("/groups").then().statusCode(200)
                .body("page", equalTo(1)).body("size", equalTo(2)).body("total", equalTo(5))
                .body("items.name", equalTo(List.of("Gone", "Platform")));
        admin().queryParam("domainId", domainId).queryParam("page", 9).queryParam("size", 2).get("/groups").then()
                .body("total", equalTo(5)).body("items", hasSize(0));
    }

    @Test
    void badListParametersAre400NamingThem() {
        admin().queryParam("domainId", "not-a-uuid").get("/groups").then().spec(violation(400, "domainId"));
        admin().queryParam("active", "maybe").get("/groups").then().spec(violation(400, "active"));
        admin().queryParam("q", "x".repeat(201)).get("/groups").then().spec(violation(400, "q"));
        admin().queryParam("size", 501).get("/groups").then().spec(violation(400, "size"));
        admin().queryParam("page", -1).get("/groups").then().spec(violation(400, "page"));
    }

    @Test
    void theGroupEndpointsNeedAKey() {
        anonymous().get("/groups").then().spec(problem(401));
        anonymous().get("/groups/{id}/members", staff).then().spec(problem(401));
        anonymous().get("/accounts/{id}/groups", alice).then().spec(problem(401));
    }

    // --- GET /groups/{id} -------------------------------------------------------------------------------------

    @Test
    void getReturnsTheGroup() {
        reader().get("/groups/{id}", eng).then().statusCode(200)
                .body("id", equalTo(eng.toString()))
                .body("domainId", equalTo(domainId))
                .body("objectGuid", notNullValue())
                .body("name", equalTo("Engineering"))
                .body("samAccountName", equalTo("eng"))
                .body("distinguishedName", equalTo("CN=Engineering,OU=Groups,DC=corp,DC=example,DC=com"))
                .body("description", equalTo("Builds things (100%)"))
                .body("active", equalTo(true))
                .body("deactivationReason", nullValue())
                .body("lastSyncedAt", notNullValue())
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());
    }

    @Test
    void getOfAnUnknownGroupIs404() {
        admin().get("/groups/{id}", UUID.randomUUID()).then().spec(problem(404));
    }

    // --- GET /groups/{id}/members -----------------------------------------------------------------------------

    @Test
    void directMembersAreAccountsThenNestedGroups() {
        reader().get("/groups/{id}/members", eng).then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.type", equalTo(List.of("ACCOUNT", "GROUP", "GROUP")))
                .body("items.name", equalTo(List.of("carol", "Platform", "Staff")))
                .body("items.id", equalTo(List.of(carol.toString(), platform.toString(), staff.toString())))
                .body("items[0].displayName", equalTo("Carol Doe"))
                .body("items[0].active", equalTo(false))
                .body("items[0].distinguishedName", equalTo("CN=carol,OU=Staff,DC=corp,DC=example,DC=com"))
                .body("items[1].displayName", nullValue())
                .body("items[1].distinguishedName", equalTo("CN=Platform,OU=Groups,DC=corp,DC=example,DC=com"));
        admin().queryParam("effective", false).get("/groups/{id}/members", staff).then().statusCode(200)
                .body("items.name", equalTo(List.of("alice", "bob", "Engineering")));
        admin().get("/groups/{id}/members", empty).then().statusCode(200).body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void effectiveMembersFollowNestingTransitivelyThroughACycleEachAccountOnce() {
        // staff: alice, bob; eng: carol; eng > platform: dave, alice (again); eng > staff: the cycle ends
        admin().queryParam("effective", true).get("/groups/{id}/members", staff).then().statusCode(200)
                .body("total", equalTo(4))
                .body("items.name", equalTo(List.of("alice", "bob", "carol", "dave")))
                .body("items.type", everyItem(equalTo("ACCOUNT")));
        admin().queryParam("effective", true).get("/groups/{id}/members", eng).then()
                .body("items.name", equalTo(List.of("alice", "bob", "carol", "dave")));
        admin().queryParam("effective", true).get("/groups/{id}/members", platform).then()
                .body("total", equalTo(2)).body("items.name", equalTo(List.of("alice", "dave")));
        admin().queryParam("effective", true).get("/groups/{id}/members", empty).then().body("total", equalTo(0));
    }

    @Test
    void membersArePaginatedWithTotal() {
        admin().queryParam("effective", true).queryParam("page", 1).queryParam("size", 3).get("/groups/{id}/members", staff)
                .then().statusCode(200)
                .body("page", equalTo(1)).body("size", equalTo(3)).body("total", equalTo(4))
                .body("items.name", equalTo(List.of("dave")));
        admin().queryParam("page", 0).queryParam("size", 2).get("/groups/{id}/members", eng).then()
                .body("total", equalTo(3)).body("items.name", equalTo(List.of("carol", "Platform")));
    }

    @Test
    void membersOfAnUnknownGroupIs404AndABadEffectiveIs400() {
        admin().get("/groups/{id}/members", UUID.randomUUID()).then().spec(problem(404));
        admin().queryParam("effective", "yes").get("/groups/{id}/members", staff).then().spec(violation(400, "effective"));
        admin().queryParam("size", 0).get("/groups/{id}/members", staff).then().spec(violation(400, "size"));
    }

    // --- GET /accounts/{id}/groups ----------------------------------------------------------------------------

    @Test
    void anAccountsDirectAndEffectiveGroups() {
        reader().get("/accounts/{id}/groups", alice).then().statusCode(200)
                .body("total", equalTo(2)).body("items.name", equalTo(List.of("Platform", "Staff")));
        // platform is nested in eng, eng in staff, staff in eng (the cycle): each group once
        admin().queryParam("effective", true).get("/accounts/{id}/groups", alice).then().statusCode(200)
                .body("total", equalTo(3)).body("items.name", equalTo(List.of("Engineering", "Platform", "Staff")));
        admin().queryParam("effective", true).get("/accounts/{id}/groups", dave).then()
                .body("items.name", equalTo(List.of("Engineering", "Platform", "Staff")));
        admin().get("/accounts/{id}/groups", dave).then().body("items.name", equalTo(List.of("Platform")));
        admin().queryParam("effective", true).get("/accounts/{id}/groups", erin).then()
                .body("total", equalTo(0)).body("items", hasSize(0));
        admin().queryParam("effective", true).queryParam("size", 1).queryParam("page", 2).get("/accounts/{id}/groups", alice)
                .then().body("total", equalTo(3)).body("items.name", equalTo(List.of("Staff")));
        admin().queryParam("effective", true).get("/accounts/{id}/groups", bob).then()
                .body("items.id", equalTo(List.of(eng.toString(), staff.toString())));
    }

    @Test
    void groupsOfAnUnknownAccountIs404AndABadEffectiveIs400() {
        admin().get("/accounts/{id}/groups", UUID.randomUUID()).then().spec(problem(404));
        admin().queryParam("effective", "1").get("/accounts/{id}/groups", alice).then().spec(violation(400, "effective"));
    }

    // ---------------------------------------------------------------------------------------------------------

    private UUID account(String username, String displayName, boolean active) {
        UUID id = UUID.randomUUID();
        db.update("""
                        INSERT INTO account (id, domain_id, object_guid, username, user_principal_name, display_name,
                                             distinguished_name, user_account_control, active, deactivation_reason,
                                             last_synced_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now(), now())""",
                id, UUID.fromString(domainId), UUID.randomUUID(), username, username + "@corp.example.com", displayName,
                "CN=" + username + ",OU=Staff,DC=corp,DC=example,DC=com", active ? 512 : 514, active,
                active ? null : "disabled in the directory");
        return id;
    }

    private UUID group(String name, String sam, String description, boolean active) {
        UUID id = UUID.randomUUID();
        db.update("""
                        INSERT INTO ad_group (id, domain_id, object_guid, name, sam_account_name, distinguished_name, description,
                                              active, deactivation_reason, last_synced_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now(), now())""",
                id, UUID.fromString(domainId), UUID.randomUUID(), name, sam, "CN=" + name + ",OU=Groups,DC=corp,DC=example,DC=com",
                description, active, active ? null : "not found in the directory");
        return id;
    }

    private void member(UUID group, UUID account) {
        db.update("INSERT INTO group_membership (group_id, account_id) VALUES (?, ?)", group, account);
    }

    private void nest(UUID group, UUID memberGroup) {
        db.update("INSERT INTO group_nesting (group_id, member_group_id) VALUES (?, ?)", group, memberGroup);
    }
}
