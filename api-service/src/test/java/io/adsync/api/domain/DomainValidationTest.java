package io.adsync.api.domain;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.domain;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Every bad domain body is refused with a problem naming the field, and leaves the database as it was. */
@QuarkusTest
class DomainValidationTest {

    @Inject
    TestDb db;

    private long domainsBefore;

    @BeforeEach
    void countDomains() {
        domainsBefore = db.count("ad_domain");
    }

    @AfterEach
    void nothingWasCreated() {
        assertThat(db.count("ad_domain")).as("ad_domain rows").isEqualTo(domainsBefore);
    }

    @Test
    void malformedJsonIs400() {
        admin().body("{\"name\": \"corp.example.com\", \"hosts\": [").post("/domains")
                .then().spec(problem(400)).body("detail", containsString("JSON"));
    }

    @Test
    void anEmptyBodyIs400() {
        admin().post("/domains").then().spec(problem(400));
    }

    @Test
    void anUnknownSecurityModeIs400NamingTheFieldAndTheAllowedValues() {
        admin().body(domain().with("security", "SSL")).post("/domains")
                .then().spec(violation(400, "security"))
                .body("violations[0].message", containsString("SSL"))
                .body("violations[0].message", containsString("LDAPS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(&(objectClass=group)", "objectClass=group", "()", "(objectClass=group)(cn=x)"})
    void aBadGroupFilterIs400(String filter) {
        admin().body(domain().with("groupFilter", filter)).post("/domains").then().spec(violation(400, "groupFilter"));
    }

    @Test
    void aBadGroupBaseDnIs400() {
        admin().body(domain().with("groupBaseDn", "not a dn")).post("/domains").then().spec(violation(400, "groupBaseDn"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"(&(objectClass=user)", "objectClass=user", "(&(objectClass=user)(cn=a*b)", "()", "(objectClass=)x", "(objectClass=user))", "(objectClass=user)(cn=x)"})
    void aBadLdapFilterIs400(String filter) {
        admin().body(domain().with("userFilter", filter)).post("/domains").then().spec(violation(400, "userFilter"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a dn", "OU=Staff,,DC=corp", "=Staff"})
    void aBadBaseDnIs400(String dn) {
        admin().body(domain().with("baseDn", dn)).post("/domains").then().spec(violation(400, "baseDn"));
    }

    @Test
    void aBadBindIdentityIs400() {
        admin().body(domain().with("bindDn", "not a dn or upn")).post("/domains").then().spec(violation(400, "bindDn"));
    }

    @Test
    void aBadCaCertificateIs400() {
        admin().body(domain().with("caCertificatePem", "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----"))
                .post("/domains").then().spec(violation(400, "caCertificatePem"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "hosts", "security", "bindDn", "bindPassword", "baseDn"})
    void aMissingRequiredFieldIs400(String field) {
        admin().body(domain().without(field)).post("/domains").then().spec(violation(400, field));
    }

    @Test
    void severalBadFieldsAreAllNamed() {
        admin().body(domain().with("baseDn", "not a dn").with("userFilter", "objectClass=user")).post("/domains")
                .then().spec(violation(400, "baseDn")).body("violations.field", hasItem("userFilter"));
    }

    @Test
    void aBadDomainNameIs400() {
        admin().body(domain().with("name", "not a dns name")).post("/domains").then().spec(violation(400, "name"));
    }

    @Test
    void noHostsIs400() {
        admin().body(domain().with("hosts", List.of())).post("/domains").then().spec(violation(400, "hosts"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536})
    void aPortOutOfRangeIs400(int port) {
        admin().body(domain().with("port", port)).post("/domains").then().spec(violation(400, "port"));
    }

    @Test
    void anEmptyPasswordIs400() {
        admin().body(domain().with("bindPassword", "")).post("/domains").then().spec(violation(400, "bindPassword"));
    }

    @Test
    void aWrongJsonTypeIs400NamingTheField() {
        admin().body(domain().with("port", "six-three-six")).post("/domains").then().spec(violation(400, "port"));
    }

    @Test
    void anUnknownPropertyIs400NamingIt() {
        admin().body(domain().with("colour", "blue")).post("/domains")
                .then().spec(violation(400, "colour")).body("detail", containsString("colour"));
    }

    @Test
    void aBadUpdateChangesNothing() {
        Body body = domain();
        String id = createDomain(body);
        domainsBefore = db.count("ad_domain");
        Object rowBefore = row(id);

        admin().body(body.copy().with("baseDn", "not a dn").with("bindPassword", "changed")).put("/domains/{id}", id)
                .then().spec(violation(400, "baseDn"));
        admin().body(body.copy().with("security", "SSL")).put("/domains/{id}", id).then().spec(violation(400, "security"));
        admin().body(body.copy().without("hosts")).put("/domains/{id}", id).then().spec(violation(400, "hosts"));
        admin().body("{").put("/domains/{id}", id).then().spec(problem(400));

        assertThat(row(id)).isEqualTo(rowBefore);
        admin().get("/domains/{id}", id).then().body("version", equalTo(0)).body("baseDn", equalTo(body.get("baseDn")));
    }

    private Object row(String id) {
        return db.value("SELECT row_to_json(d)::text FROM ad_domain d WHERE id = ?", UUID.fromString(id));
    }
}
