package io.adsync.api.account;

import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.reader;
import static io.adsync.api.support.Api.violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Accounts are written only by the worker, so these tests insert them with SQL into a domain made through the API. */
@QuarkusTest
class AccountResourceTest {

    @Inject
    TestDb db;

    private String domainId;
    private UUID alice;

    @BeforeEach
    void accounts() {
        domainId = createDomain();
        alice = insert("alice", "alice.smith@corp.example.com", "Alice Smith", true);
        insert("bob", "bob.jones@corp.example.com", "Bob Jones", true);
        insert("carol", "c.smithers@corp.example.com", "Carol Doe", false);
        insert("dave", null, "Dave O'Brien", true);
        insert("pct%user", "pct@corp.example.com", "Percent", true);
        insert("under_score", "us@corp.example.com", "Underscore", true);
        insert("underxscore", "ux@corp.example.com", "Not an underscore", true);
    }

    @Test
    void listFiltersByDomainSortedByUsername() {
        admin().queryParam("domainId", domainId).get("/accounts").then().statusCode(200)
                .body("total", equalTo(7))
                .body("items.username", equalTo(List.of("alice", "bob", "carol", "dave", "pct%user", "under_score", "underxscore")))
                .body("items.domainId", everyItem(equalTo(domainId)));
    }

    @Test
    void listFiltersByActive() {
        admin().queryParam("domainId", domainId).queryParam("active", false).get("/accounts").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items.username", equalTo(List.of("carol")))
                .body("items[0].active", equalTo(false))
                .body("items[0].deactivationReason", equalTo("DISABLED_IN_AD"));
        admin().queryParam("domainId", domainId).queryParam("active", true).get("/accounts").then().statusCode(200)
                .body("total", equalTo(6))
                .body("items.active", everyItem(equalTo(true)));
    }

    @Test
    void qMatchesUsernameEmailAndDisplayNameCaseInsensitively() {
        // "smith": alice by email and display name, carol by email (c.smithers)
        admin().queryParam("domainId", domainId).queryParam("q", "SMITH").get("/accounts").then().statusCode(200)
                .body("total", equalTo(2))
                .body("items.username", equalTo(List.of("alice", "carol")));
        admin().queryParam("domainId", domainId).queryParam("q", "Bo").get("/accounts").then().statusCode(200)
                .body("items.username", equalTo(List.of("bob")));
        admin().queryParam("domainId", domainId).queryParam("q", "o'brien").get("/accounts").then().statusCode(200)
                .body("items.username", equalTo(List.of("dave")));
        admin().queryParam("domainId", domainId).queryParam("q", "  jones  ").get("/accounts").then().statusCode(200)
                .body("items.username", equalTo(List.of("bob")));
        admin().queryParam("domainId", domainId).queryParam("q", "smith").queryParam("active", true).get("/accounts").then()
                .body("total", equalTo(1)).body("items.username", equalTo(List.of("alice")));
        admin().queryParam("domainId", domainId).queryParam("q", "nobody-matches-this").get("/accounts").then().statusCode(200)
                .body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void percentAndUnderscoreInQAreLiteral() {
        admin().queryParam("domainId", domainId).queryParam("q", "%").get("/accounts").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items.username", equalTo(List.of("pct%user")));
        admin().queryParam("domainId", domainId).queryParam("q", "under_").get("/accounts").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items.username", equalTo(List.of("under_score")));
        admin().queryParam("domainId", domainId).queryParam("q", "_").get("/accounts").then().statusCode(200)
                .body("items.username", equalTo(List.of("under_score")));
        admin().queryParam("domainId", domainId).queryParam("q", "\\").get("/accounts").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void listIsPaginatedWithTotal() {
        admin().queryParam("domainId", domainId).queryParam("page", 1).queryParam("size", 3).get("/accounts").then().statusCode(200)
                .body("page", equalTo(1))
                .body("size", equalTo(3))
                .body("total", equalTo(7))
                .body("items.username", equalTo(List.of("dave", "pct%user", "under_score")));
        admin().queryParam("domainId", domainId).queryParam("page", 2).queryParam("size", 3).get("/accounts").then()
                .body("items.username", equalTo(List.of("underxscore")));
        admin().queryParam("domainId", domainId).queryParam("page", 3).queryParam("size", 3).get("/accounts").then()
                .body("total", equalTo(7)).body("items", hasSize(0));
    }

    @Test
    void searchTotalsAreExactOnFullPartialAndEmptyPages() {
        // "smith" finds alice and carol: a full page (counted), a partial last page and a page past the end
        admin().queryParam("domainId", domainId).queryParam("q", "smith").queryParam("size", 1).get("/accounts").then()
                .statusCode(200).body("total", equalTo(2)).body("items.username", equalTo(List.of("alice")));
        admin().queryParam("domainId", domainId).queryParam("q", "smith").queryParam("size", 5).get("/accounts").then()
                .statusCode(200).body("total", equalTo(2)).body("items.username", equalTo(List.of("alice", "carol")));
        admin().queryParam("domainId", domainId).queryParam("q", "smith").queryParam("page", 1).queryParam("size", 1)
                .get("/accounts").then().statusCode(200).body("total", equalTo(2)).body("items.username", equalTo(List.of("carol")));
        admin().queryParam("domainId", domainId).queryParam("q", "smith").queryParam("page", 4).queryParam("size", 1)
                .get("/accounts").then().statusCode(200).body("total", equalTo(2)).body("items", hasSize(0));
        admin().queryParam("domainId", domainId).queryParam("q", "nobody").queryParam("page", 1).get("/accounts").then()
                .statusCode(200).body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void theSearchCanUseTheTrigramIndex() {
        // The WHERE clause Hibernate generates from Filter.containsIgnoreCase(q, "username", "email", "displayName")
        // (its SQL log); V5's index must match these expressions, or every search reads the whole table again.
        // With sequential scans off the planner takes the index whenever it can answer the query.
        String plan = db.explainWithoutSeqScan("""
                SELECT a1_0.id FROM account a1_0
                 WHERE (lower(a1_0.username) like ? escape '!' or lower(a1_0.email) like ? escape '!'
                        or lower(a1_0.display_name) like ? escape '!')
                 ORDER BY a1_0.username, a1_0.id OFFSET 0 ROWS FETCH FIRST 20 ROWS ONLY""", "%smith%", "%smith%", "%smith%");
        assertThat(plan).contains("account_search_trgm_idx").doesNotContain("Seq Scan");
    }

    @Test
    void listWithoutFiltersCountsEveryAccount() {
        admin().get("/accounts").then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("total", equalTo((int) db.count("account")));
    }

    @Test
    void aTooLongQIs400() {
        admin().queryParam("q", "x".repeat(201)).get("/accounts").then().spec(violation(400, "q"));
    }

    @Test
    void getReturnsTheAccount() {
        reader().get("/accounts/{id}", alice).then().statusCode(200)
                .body("id", equalTo(alice.toString()))
                .body("domainId", equalTo(domainId))
                .body("objectGuid", notNullValue())
                .body("username", equalTo("alice"))
                .body("userPrincipalName", equalTo("alice@corp.example.com"))
                .body("email", equalTo("alice.smith@corp.example.com"))
                .body("displayName", equalTo("Alice Smith"))
                .body("givenName", equalTo("Alice"))
                .body("surname", equalTo("Smith"))
                .body("distinguishedName", equalTo("CN=alice,OU=Staff,DC=corp,DC=example,DC=com"))
                .body("userAccountControl", equalTo(512))
                .body("accountExpires", equalTo(9223372036854775807L))
                .body("active", equalTo(true))
                .body("deactivationReason", nullValue())
                .body("lastSyncedAt", notNullValue())
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue());
    }

    @Test
    void getOfAnUnknownAccountIs404() {
        admin().get("/accounts/{id}", UUID.randomUUID()).then().spec(problem(404));
    }

    private UUID insert(String username, String email, String displayName, boolean active) {
        UUID id = UUID.randomUUID();
        String[] names = displayName.split(" ", 2);
        db.update("""
                        INSERT INTO account (id, domain_id, object_guid, username, user_principal_name, email, display_name,
                                             given_name, surname, distinguished_name, user_account_control, account_expires,
                                             active, deactivation_reason, last_synced_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now(), now())""",
                id, UUID.fromString(domainId), UUID.randomUUID(), username, username + "@corp.example.com", email, displayName,
                names[0], names.length > 1 ? names[1] : null, "CN=" + username + ",OU=Staff,DC=corp,DC=example,DC=com",
                active ? 512 : 514, Long.MAX_VALUE, active, active ? null : "DISABLED_IN_AD");
        return id;
    }
}
