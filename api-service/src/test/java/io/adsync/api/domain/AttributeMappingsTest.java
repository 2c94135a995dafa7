package io.adsync.api.domain;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.domain;
import static io.adsync.api.support.Api.reader;
import static io.adsync.api.support.Api.violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** A domain's attributeMappings through the API: defaults, changes, and every refusal (which changes nothing). */
@QuarkusTest
class AttributeMappingsTest {

    @Inject
    TestDb db;

    static Map<String, String> m(String source, String target, String type) {
        return Map.of("source", source, "target", target, "type", type);
    }

    @Test
    void aNewDomainGetsTheDefaultsAndGetShowsThem() {
        String id = createDomain();
        reader().get("/domains/{id}", id).then().statusCode(200)
                .body("attributeMappings", hasSize(8))
                .body("attributeMappings.target", equalTo(List.of("department", "title", "company", "employeeId",
                        "telephoneNumber", "mobile", "office", "manager")))
                .body("attributeMappings.source", equalTo(List.of("department", "title", "company", "employeeID",
                        "telephoneNumber", "mobile", "physicalDeliveryOfficeName", "manager")))
                .body("attributeMappings[7].type", equalTo("DN_REFERENCE"))
                .body("attributeMappingsChangedAt", nullValue());
        assertThat(db.count("ad_domain WHERE id = '" + id + "' AND jsonb_array_length(attribute_mappings) = 8")).isEqualTo(1);
    }

    @Test
    void mappingsGivenOnCreateAreStoredAsGivenAndAnEmptyListMeansNone() {
        String id = createDomain(domain().with("attributeMappings", List.of(m("proxyAddresses", "proxyAddresses", "STRINGS"),
                m("thumbnailPhoto", "photo", "BINARY"))));
        admin().get("/domains/{id}", id).then().statusCode(200)
                .body("attributeMappings", equalTo(List.of(m("proxyAddresses", "proxyAddresses", "STRINGS"),
                        m("thumbnailPhoto", "photo", "BINARY"))));
        String none = createDomain(domain().with("attributeMappings", List.of()));
        admin().get("/domains/{id}", none).then().body("attributeMappings", hasSize(0));
    }

    @Test
    void changingTheMappingsBumpsUpdatedAtAndChangedAtLeavingThemOutKeepsThem() throws Exception {
        Body body = domain();
        String id = createDomain(body);
        JsonPath before = admin().get("/domains/{id}", id).then().extract().jsonPath();
        Thread.sleep(5);

        // a PUT without attributeMappings keeps them (and changes nothing about them)
        admin().body(body.copy().with("version", before.getLong("version"))).put("/domains/{id}", id).then().statusCode(200)
                .body("attributeMappings", hasSize(8)).body("attributeMappingsChangedAt", nullValue());
        // the same list again is no change either
        JsonPath same = admin().body(body.copy().with("attributeMappings", before.getList("attributeMappings")))
                .put("/domains/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(same.getString("attributeMappingsChangedAt")).isNull();

        List<Object> changed = new ArrayList<>(before.getList("attributeMappings"));
        changed.add(m("whenCreated", "createdInAd", "DATETIME"));
        JsonPath after = admin().body(body.copy().with("attributeMappings", changed)).put("/domains/{id}", id).then()
                .statusCode(200).body("attributeMappings", hasSize(9)).body("attributeMappingsChangedAt", notNullValue())
                .extract().jsonPath();
        assertThat(after.getString("updatedAt")).isGreaterThan(before.getString("updatedAt"));
        assertThat(after.getString("attributeMappingsChangedAt")).isGreaterThan(before.getString("updatedAt"));
        assertThat(db.count("ad_domain WHERE id = '" + id + "' AND attribute_mappings_changed_at IS NOT NULL"
                + " AND attribute_mappings_changed_at <= updated_at")).isEqualTo(1);
    }

    @Test
    void invalidMappingsAre400NamingTheFieldAndChangeNothing() {
        String id = createDomain();
        String stored = mappingsOf(id);
        long domains = db.count("ad_domain");
        List<Object[]> cases = List.of(
                new Object[]{List.of(m("department", "department", "STRING"), m("title", "title", "STRING"),
                        m("company", "bad-target", "STRING")), "attributeMappings[2].target"},
                new Object[]{List.of(m("depart ment", "department", "STRING")), "attributeMappings[0].source"},
                new Object[]{List.of(m("member;range=0-*", "members", "STRINGS")), "attributeMappings[0].source"},
                new Object[]{List.of(m("a", "x" + "y".repeat(64), "STRING")), "attributeMappings[0].target"},
                new Object[]{List.of(m("a", "1abc", "STRING")), "attributeMappings[0].target"},
                new Object[]{List.of(m("a", "x", "STRING"), m("b", "X", "STRING")), "attributeMappings[1].target"},
                new Object[]{List.of(m("mail", "email", "STRING")), "attributeMappings[0].target"},
                new Object[]{List.of(m("mail", "managerId", "STRING")), "attributeMappings[0].target"},
                new Object[]{List.of(m("manager", "manager", "STRING")), "attributeMappings[0].type"},
                new Object[]{List.of(m("department", "department", "TEXT")), "attributeMappings[0].type"},
                new Object[]{List.of(Map.of("source", "department", "target", "department")), "attributeMappings[0].type"},
                new Object[]{java.util.stream.IntStream.range(0, 65).mapToObj(i -> m("a" + i, "t" + i, "STRING")).toList(),
                        "attributeMappings"});
        for (Object[] c : cases) {
            admin().body(domain().with("attributeMappings", c[0])).post("/domains").then().spec(violation(400, (String) c[1]));
            admin().body(domain().with("attributeMappings", c[0])).put("/domains/{id}", id).then().spec(violation(400, (String) c[1]));
        }
        admin().body(domain().with("attributeMappings", List.of(m("a", "department", "STRING"), m("b", "title", "STRING"),
                        m("c", "bad-target", "STRING")))).post("/domains").then()
                .body("violations[0].in", equalTo("body"))
                .body("violations[0].message", containsString("[a-zA-Z][a-zA-Z0-9_]{0,63}"));
        assertThat(db.count("ad_domain")).isEqualTo(domains);
        assertThat(mappingsOf(id)).isEqualTo(stored);
    }

    @Test
    void sixtyFourMappingsAreAllowed() {
        createDomain(domain().with("attributeMappings",
                java.util.stream.IntStream.range(0, 64).mapToObj(i -> m("a" + i, "t" + i, "STRING")).toList()));
    }

    private String mappingsOf(String id) {
        return admin().get("/domains/{id}", id).then().extract().jsonPath().getList("attributeMappings").toString()
                + admin().get("/domains/{id}", id).then().extract().jsonPath().getString("updatedAt");
    }
}
