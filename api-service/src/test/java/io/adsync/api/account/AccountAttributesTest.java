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
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * Mapped attributes and manager links on accounts (written by the worker; inserted with SQL here): the attribute
 * filter, its index, and the reports of an account, direct and transitive, through a cycle.
 */
@QuarkusTest
class AccountAttributesTest {

    @Inject
    TestDb db;

    String domainId;
    UUID ceo, vp, dir, eng1, eng2, cycA, cycB, cycC, gone;

    @BeforeEach
    void accounts() {
        domainId = createDomain();
        // ceo <- vp <- dir <- eng1, eng2 (gone: an inactive report of dir); cycA -> cycB -> cycC -> cycA
        ceo = insert("ceo", "{\"department\":\"Board\",\"employeeNumber\":1,\"vip\":true}", null, true);
        vp = insert("vp", "{\"department\":\"Sales\",\"proxyAddresses\":[\"smtp:vp@corp\",\"SMTP:sales@corp\"]}", ceo, true);
        dir = insert("dir", "{\"department\":\"Sales\",\"title\":\"Director\"}", vp, true);
        eng1 = insert("eng1", "{\"department\":\"Engineering\"}", dir, true);
        eng2 = insert("eng2", "{\"department\":\"Engineering\",\"title\":\"Sales\"}", dir, true);
        gone = insert("gone", "{\"department\":\"Sales\"}", dir, false);
        cycA = insert("cyc-a", "{}", null, true);
        cycB = insert("cyc-b", "{}", cycA, true);
        cycC = insert("cyc-c", "{}", cycB, true);
        db.update("UPDATE account SET manager_id = ? WHERE id = ?", cycC, cycA);
    }

    @Test
    void anAccountShowsItsAttributesAndManager() {
        reader().get("/accounts/{id}", dir).then().statusCode(200)
                .body("attributes.department", equalTo("Sales"))
                .body("attributes.title", equalTo("Director"))
                .body("managerId", equalTo(vp.toString()));
        reader().get("/accounts/{id}", ceo).then().statusCode(200)
                .body("attributes.employeeNumber", equalTo(1)).body("attributes.vip", equalTo(true))
                .body("managerId", nullValue());
    }

    @Test
    void attrFiltersAreExactMatchesOfTheMappedValue() {
        reader().queryParam("domainId", domainId).queryParam("attr.department", "Sales").get("/accounts").then().statusCode(200)
                .body("total", equalTo(3)).body("items.username", equalTo(List.of("dir", "gone", "vp")));
        reader().queryParam("domainId", domainId).queryParam("attr.department", "Sales").queryParam("active", true)
                .get("/accounts").then().body("items.username", equalTo(List.of("dir", "vp")));
        reader().queryParam("domainId", domainId).queryParam("attr.department", "sales").get("/accounts").then()
                .body("total", equalTo(0));
        reader().queryParam("domainId", domainId).queryParam("attr.department", "Sal").get("/accounts").then()
                .body("total", equalTo(0));
        reader().queryParam("domainId", domainId).queryParam("attr.department", "Sales").queryParam("attr.title", "Director")
                .get("/accounts").then().body("items.username", equalTo(List.of("dir")));
        // a list (STRINGS) containing the value; a number; a boolean
        reader().queryParam("domainId", domainId).queryParam("attr.proxyAddresses", "SMTP:sales@corp").get("/accounts").then()
                .body("items.username", equalTo(List.of("vp")));
        reader().queryParam("domainId", domainId).queryParam("attr.employeeNumber", "1").get("/accounts").then()
                .body("items.username", equalTo(List.of("ceo")));
        reader().queryParam("domainId", domainId).queryParam("attr.vip", "true").get("/accounts").then()
                .body("items.username", equalTo(List.of("ceo")));
        // quotes and backslashes are values like any other
        reader().queryParam("domainId", domainId).queryParam("attr.department", "Sa\"les\\").get("/accounts").then()
                .statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aBadAttrFilterIs400NamingTheParameter() {
        admin().queryParam("attr.bad-name", "x").get("/accounts").then().spec(problem(400))
                .body("violations[0].field", equalTo("attr.bad-name")).body("violations[0].in", equalTo("query"));
        admin().queryParam("attr.", "x").get("/accounts").then().spec(problem(400));
        admin().queryParam("attr.department", "a", "b").get("/accounts").then().spec(problem(400))
                .body("violations[0].field", equalTo("attr.department"));
    }

    @Test
    void theAttrFilterUsesTheGinIndex() {
        // the WHERE clause Hibernate generates for attr.department=Sales (its SQL log; see AccountService.containment)
        String plan = db.explainWithoutSeqScan("""
                SELECT a1_0.id FROM account a1_0
                 WHERE (cast((a1_0.attributes @> cast(? as jsonb)) as boolean)
                        or cast((a1_0.attributes @> cast(? as jsonb)) as boolean))
                 ORDER BY a1_0.username, a1_0.id OFFSET 0 ROWS FETCH FIRST 20 ROWS ONLY""",
                "{\"department\":\"Sales\"}", "{\"department\":[\"Sales\"]}");
        assertThat(plan).contains("account_attributes_idx").doesNotContain("Seq Scan");
    }

    @Test
    void directReportsActiveAndInactive() {
        reader().get("/accounts/{id}/reports", dir).then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.username", equalTo(List.of("eng1", "eng2", "gone")))
                .body("items.active", equalTo(List.of(true, true, false)))
                .body("items.managerId", equalTo(List.of(dir.toString(), dir.toString(), dir.toString())));
        reader().get("/accounts/{id}/reports", eng1).then().statusCode(200).body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void transitiveReportsEachOnceAndSafeAgainstCycles() {
        reader().queryParam("transitive", true).get("/accounts/{id}/reports", ceo).then().statusCode(200)
                .body("total", equalTo(5))
                .body("items.username", equalTo(List.of("dir", "eng1", "eng2", "gone", "vp")));
        reader().queryParam("transitive", true).queryParam("size", 2).queryParam("page", 1).get("/accounts/{id}/reports", ceo)
                .then().body("total", equalTo(5)).body("items.username", equalTo(List.of("eng2", "gone")));
        // the cycle: each of the other two once, never the account itself
        reader().queryParam("transitive", true).get("/accounts/{id}/reports", cycA).then().statusCode(200)
                .body("total", equalTo(2)).body("items.username", equalTo(List.of("cyc-b", "cyc-c")));
        reader().queryParam("transitive", "maybe").get("/accounts/{id}/reports", ceo).then().spec(problem(400));
        reader().get("/accounts/{id}/reports", UUID.randomUUID()).then().spec(problem(404));
    }

    private UUID insert(String username, String attributes, UUID manager, boolean active) {
        UUID id = UUID.randomUUID();
        db.update("""
                        INSERT INTO account (id, domain_id, object_guid, username, distinguished_name, active, deactivation_reason,
                                             attributes, manager_id, last_synced_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now(), now(), now())""",
                id, UUID.fromString(domainId), UUID.randomUUID(), username, "CN=" + username + ",OU=Staff,DC=corp,DC=example,DC=com",
                active, active ? null : "gone", attributes, manager);
        return id;
    }
}
