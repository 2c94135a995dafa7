package io.adsync.api.domain;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.adsync.crypto.SecretCipher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.createJob;
import static io.adsync.api.support.Api.domain;
import static io.adsync.api.support.Api.job;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class DomainResourceTest {

    @Inject
    TestDb db;

    @Inject
    SecretCipher cipher;

    @Test
    void createReturns201WithLocationAndTheDomainButNeverThePassword() {
        Body body = domain().with("port", 3269).with("pageSize", 500).with("userFilter", "(objectClass=user)");
        String password = (String) body.get("bindPassword");

        Response created = admin().body(body).post("/domains");

        created.then().statusCode(201)
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .body("name", equalTo(body.get("name")))
                .body("hosts", equalTo(body.get("hosts")))
                .body("port", equalTo(3269))
                .body("security", equalTo("LDAPS"))
                .body("bindDn", equalTo("svc-adsync@corp.example.com"))
                .body("bindPasswordSet", equalTo(true))
                .body("baseDn", equalTo("OU=Staff,DC=corp,DC=example,DC=com"))
                .body("userFilter", equalTo("(objectClass=user)"))
                .body("pageSize", equalTo(500))
                .body("connectTimeoutSeconds", equalTo(10))
                .body("readTimeoutSeconds", equalTo(60))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .body("version", equalTo(0))
                .body("$", not(hasKey("bindPassword")));
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/domains/" + id);
        assertNoPassword(created, password);

        admin().get(created.header("Location")).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        String id = createDomain(domain());

        admin().get("/domains/{id}", id).then().statusCode(200)
                .body("port", equalTo(636))
                .body("userFilter", equalTo("(&(objectCategory=person)(objectClass=user))"))
                .body("pageSize", equalTo(1000))
                .body("connectTimeoutSeconds", equalTo(10))
                .body("readTimeoutSeconds", equalTo(60))
                .body("groupBaseDn", nullValue())
                .body("groupFilter", equalTo("(objectClass=group)"))
                .body("caCertificatePem", nullValue());
    }

    @Test
    void groupsAreOptInWithABaseDnAndAFilter() {
        Body body = domain().with("groupBaseDn", "OU=Groups,DC=corp,DC=example,DC=com")
                .with("groupFilter", "(&(objectClass=group)(!(cn=Domain*)))");
        String id = createDomain(body);
        admin().get("/domains/{id}", id).then().statusCode(200)
                .body("groupBaseDn", equalTo("OU=Groups,DC=corp,DC=example,DC=com"))
                .body("groupFilter", equalTo("(&(objectClass=group)(!(cn=Domain*)))"));
        assertThat(db.value("SELECT group_base_dn FROM ad_domain WHERE id = ?", UUID.fromString(id)))
                .isEqualTo("OU=Groups,DC=corp,DC=example,DC=com");

        // switched off again: a blank or missing base DN; a blank filter is the default
        admin().body(body.copy().without("bindPassword").with("groupBaseDn", " ").with("groupFilter", "")).put("/domains/{id}", id)
                .then().statusCode(200).body("groupBaseDn", nullValue()).body("groupFilter", equalTo("(objectClass=group)"));
    }

    @ParameterizedTest(name = "{0} defaults to port {1}")
    @CsvSource({"LDAPS, 636", "STARTTLS, 389", "NONE, 389"})
    void portDefaultsToTheSecurityModesPort(String security, int port) {
        admin().body(domain().with("security", security)).post("/domains")
                .then().statusCode(201).body("security", equalTo(security)).body("port", equalTo(port));
    }

    @Test
    void anExplicitPortWinsOverTheDefault() {
        admin().body(domain().with("security", "STARTTLS").with("port", 10389)).post("/domains")
                .then().statusCode(201).body("port", equalTo(10389));
    }

    @Test
    void theBindPasswordIsStoredEncryptedWithTheDomainIdAsAssociatedData() {
        Body body = domain();
        String password = (String) body.get("bindPassword");
        String id = createDomain(body);

        byte[] stored = db.bindPasswordCiphertext(id);
        assertThat(stored).isNotNull();
        assertThat(indexOf(stored, password.getBytes(StandardCharsets.UTF_8))).as("plaintext bytes in bind_password_enc").isEqualTo(-1);
        assertThat(stored[0]).as("format version byte").isEqualTo((byte) 1);
        assertThat(stored.length).isEqualTo(1 + 12 + password.getBytes(StandardCharsets.UTF_8).length + 16);
        assertThat(cipher.decrypt(stored, UUID.fromString(id))).isEqualTo(password);
        assertThat((String) db.value("SELECT row_to_json(d)::text FROM ad_domain d WHERE id = ?", UUID.fromString(id)))
                .as("the whole row as text").doesNotContain(password);
        // bound to its row: the same ciphertext does not decrypt for another domain
        assertThatDecryptFailsFor(stored, UUID.randomUUID());
    }

    @Test
    void getReturnsTheDomainWithoutThePassword() {
        Body body = domain();
        String id = createDomain(body);

        Response got = admin().get("/domains/{id}", id);

        got.then().statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(body.get("name")))
                .body("bindPasswordSet", equalTo(true))
                .body("$", not(hasKey("bindPassword")));
        assertNoPassword(got, (String) body.get("bindPassword"));
    }

    @Test
    void getOfAnUnknownDomainIs404() {
        admin().get("/domains/{id}", UUID.randomUUID()).then().spec(problem(404)).body("detail", containsString("does not exist"));
    }

    @Test
    void listIsSortedByNameAndPaginatedWithTotal() {
        String prefix = unique("aaa-list").toLowerCase();
        Body b = domain().with("name", prefix + "-b.example.com");
        Body a = domain().with("name", prefix + "-a.example.com");
        createDomain(b);
        createDomain(a);
        long total = db.count("ad_domain");

        Response all = admin().queryParam("size", 500).get("/domains");
        all.then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(500))
                .body("total", equalTo((int) total))
                .body("items", hasSize((int) Math.min(total, 500)))
                .body("items.name", hasItems(prefix + "-a.example.com", prefix + "-b.example.com"))
                .body("items", everyItem(not(hasKey("bindPassword"))));
        assertNoPassword(all, (String) a.get("bindPassword"));
        assertNoPassword(all, (String) b.get("bindPassword"));
        List<String> names = all.path("items.name");
        assertThat(names).containsExactlyElementsOf(
                db.column("SELECT name FROM ad_domain ORDER BY name LIMIT 500").stream().map(String.class::cast).toList());

        admin().queryParam("page", 1).queryParam("size", 1).get("/domains").then().statusCode(200)
                .body("page", equalTo(1))
                .body("size", equalTo(1))
                .body("total", equalTo((int) total))
                .body("items", hasSize(1))
                .body("items[0].name", equalTo(names.get(1)));
        admin().queryParam("page", (int) total).queryParam("size", 1).get("/domains").then().statusCode(200)
                .body("total", equalTo((int) total))
                .body("items", hasSize(0));
    }

    @Test
    void listDefaultsToPage0Size20() {
        createDomain();
        admin().get("/domains").then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items.size()", lessThanOrEqualTo(20))
                .body("total", equalTo((int) db.count("ad_domain")));
    }

    @Test
    void putWithoutPasswordKeepsTheStoredPassword() {
        Body body = domain();
        String password = (String) body.get("bindPassword");
        String id = createDomain(body);
        byte[] before = db.bindPasswordCiphertext(id);

        Response updated = admin().body(body.copy().without("bindPassword").with("hosts", List.of("dc9.corp.example.com"))
                        .with("version", 0))
                .put("/domains/{id}", id);

        updated.then().statusCode(200)
                .body("hosts", equalTo(List.of("dc9.corp.example.com")))
                .body("bindPasswordSet", equalTo(true))
                .body("version", equalTo(1))
                .body("$", not(hasKey("bindPassword")));
        byte[] after = db.bindPasswordCiphertext(id);
        assertThat(after).isEqualTo(before);
        assertThat(cipher.decrypt(after, UUID.fromString(id))).isEqualTo(password);
        assertThat(db.value("SELECT hosts[1] FROM ad_domain WHERE id = ?", UUID.fromString(id))).isEqualTo("dc9.corp.example.com");
    }

    @Test
    void putWithANewPasswordReplacesIt() {
        Body body = domain();
        String oldPassword = (String) body.get("bindPassword");
        String id = createDomain(body);
        String newPassword = "n3w-" + UUID.randomUUID();

        Response updated = admin().body(body.copy().with("bindPassword", newPassword)).put("/domains/{id}", id);

        updated.then().statusCode(200).body("bindPasswordSet", equalTo(true)).body("$", not(hasKey("bindPassword")));
        assertNoPassword(updated, newPassword);
        assertNoPassword(updated, oldPassword);
        byte[] stored = db.bindPasswordCiphertext(id);
        assertThat(indexOf(stored, newPassword.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(cipher.decrypt(stored, UUID.fromString(id))).isEqualTo(newPassword);
    }

    @Test
    void putReplacesEveryFieldAndBumpsTheVersion() {
        String id = createDomain();
        Body replacement = domain().without("bindPassword").with("security", "STARTTLS").with("port", 389)
                .with("userFilter", "(&(objectClass=user)(department=IT))").with("pageSize", 200)
                .with("connectTimeoutSeconds", 5).with("readTimeoutSeconds", 30).with("version", 0);

        admin().body(replacement).put("/domains/{id}", id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(replacement.get("name")))
                .body("security", equalTo("STARTTLS"))
                .body("port", equalTo(389))
                .body("userFilter", equalTo("(&(objectClass=user)(department=IT))"))
                .body("pageSize", equalTo(200))
                .body("connectTimeoutSeconds", equalTo(5))
                .body("readTimeoutSeconds", equalTo(30))
                .body("version", equalTo(1));
        admin().get("/domains/{id}", id).then().body("name", equalTo(replacement.get("name"))).body("version", equalTo(1));
    }

    @Test
    void putWithAStaleVersionIs409AndChangesNothing() {
        Body body = domain();
        String id = createDomain(body);
        admin().body(body.copy().without("bindPassword").with("version", 0).with("pageSize", 10)).put("/domains/{id}", id)
                .then().statusCode(200).body("version", equalTo(1));
        byte[] ciphertext = db.bindPasswordCiphertext(id);

        admin().body(body.copy().with("version", 0).with("pageSize", 20).with("bindPassword", "other-password"))
                .put("/domains/{id}", id)
                .then().spec(problem(409)).body("currentVersion", equalTo(1)).body("detail", containsString("version"));

        admin().get("/domains/{id}", id).then().body("pageSize", equalTo(10)).body("version", equalTo(1));
        assertThat(db.bindPasswordCiphertext(id)).isEqualTo(ciphertext);
    }

    @Test
    void putOfAnUnknownDomainIs404() {
        long before = db.count("ad_domain");
        admin().body(domain()).put("/domains/{id}", UUID.randomUUID()).then().spec(problem(404));
        assertThat(db.count("ad_domain")).isEqualTo(before);
    }

    @Test
    void aDuplicateNameIs409CaseInsensitively() {
        Body first = domain();
        String id = createDomain(first);
        long before = db.count("ad_domain");

        admin().body(domain().with("name", ((String) first.get("name")).toUpperCase())).post("/domains")
                .then().spec(problem(409)).body("existingId", equalTo(id));

        assertThat(db.count("ad_domain")).isEqualTo(before);
    }

    @Test
    void renamingOntoAnotherDomainsNameIs409() {
        Body first = domain();
        createDomain(first);
        Body second = domain();
        String secondId = createDomain(second);

        admin().body(second.copy().with("name", first.get("name"))).put("/domains/{id}", secondId).then().spec(problem(409));

        admin().get("/domains/{id}", secondId).then().body("name", equalTo(second.get("name")));
    }

    @Test
    void deleteIs204ThenTheDomainIsGone() {
        String id = createDomain();

        admin().delete("/domains/{id}", id).then().statusCode(204);

        admin().get("/domains/{id}", id).then().spec(problem(404));
        admin().delete("/domains/{id}", id).then().spec(problem(404));
        assertThat(db.value("SELECT count(*) FROM ad_domain WHERE id = ?", UUID.fromString(id))).isEqualTo(0L);
    }

    @Test
    void deleteOfADomainUsedByJobsIs409NamingTheJobs() {
        String id = createDomain();
        Body jobA = job(id);
        Body jobB = job(id);
        String jobAId = createJob(jobA);
        createJob(jobB);

        admin().delete("/domains/{id}", id).then().spec(problem(409))
                .body("detail", containsString((String) jobA.get("name")))
                .body("detail", containsString((String) jobB.get("name")))
                .body("jobs", hasSize(2))
                .body("jobs.name", hasItems(jobA.get("name"), jobB.get("name")))
                .body("jobs.id", hasItem(jobAId))
                .body("jobs[0]", aMapWithSize(2));

        admin().get("/domains/{id}", id).then().statusCode(200);
    }

    @Test
    void deleteOfADomainAlsoDeletesItsAccounts() {
        String id = createDomain();
        db.update("""
                INSERT INTO account (id, domain_id, object_guid, username, active, last_synced_at, created_at, updated_at)
                VALUES (?, ?, ?, 'gone', true, now(), now(), now())""", UUID.randomUUID(), UUID.fromString(id), UUID.randomUUID());

        admin().delete("/domains/{id}", id).then().statusCode(204);

        assertThat(db.value("SELECT count(*) FROM account WHERE domain_id = ?", UUID.fromString(id))).isEqualTo(0L);
    }

    /** The fields a domain response documents (the Domain schema); anything else could carry a secret. */
    static final java.util.Set<String> DOCUMENTED_FIELDS = java.util.Set.of("id", "name", "hosts", "port", "security",
            "caCertificatePem", "bindDn", "bindPasswordSet", "baseDn", "userFilter", "groupBaseDn", "groupFilter",
            "pageSize", "connectTimeoutSeconds", "readTimeoutSeconds", "attributeMappings", "attributeMappingsChangedAt",
            "createdAt", "updatedAt", "version");

    /**
     * No domain in the response (a single domain, or a page of them) carries a field beyond the documented ones, and
     * the response text holds neither the password nor any domain's stored ciphertext, in any of the encodings JSON
     * could carry bytes in (base64, base64url, hex, PostgreSQL's bytea text).
     */
    private void assertNoPassword(Response response, String password) {
        String text = response.asString();
        assertThat(text).doesNotContain(password).doesNotContain("\"bindPassword\"");
        Object root = response.jsonPath().get("$");
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> domains = root instanceof java.util.Map<?, ?> m && m.containsKey("items")
                ? (List<java.util.Map<String, Object>>) m.get("items")
                : List.of(response.jsonPath().getMap("$"));
        assertThat(domains).isNotEmpty();
        for (java.util.Map<String, Object> d : domains) {
            assertThat(DOCUMENTED_FIELDS).as("fields of domain %s", d.get("id")).containsAll(d.keySet());
            byte[] stored = db.bindPasswordCiphertext((String) d.get("id"));
            assertThat(stored).isNotEmpty();
            String hex = java.util.HexFormat.of().formatHex(stored);
            // any 12 consecutive bytes of the ciphertext would be a leak: check a window, not just the whole value
            byte[] window = Arrays.copyOfRange(stored, 0, Math.min(12, stored.length));
            for (String encoded : List.of(java.util.Base64.getEncoder().encodeToString(stored),
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(stored),
                    java.util.Base64.getEncoder().withoutPadding().encodeToString(window),
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(window),
                    hex, java.util.HexFormat.of().formatHex(window))) {
                assertThat(text.toLowerCase(java.util.Locale.ROOT)).as("stored ciphertext in the response")
                        .doesNotContain(encoded.toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    private void assertThatDecryptFailsFor(byte[] ciphertext, UUID otherOwner) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cipher.decrypt(ciphertext, otherOwner))
                .isInstanceOf(IllegalStateException.class);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return Arrays.equals(needle, new byte[0]) ? 0 : -1;
    }
}
