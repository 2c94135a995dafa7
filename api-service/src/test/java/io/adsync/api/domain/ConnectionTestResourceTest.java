package io.adsync.api.domain;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import io.adsync.api.support.Body;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.domain;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code POST /domains/{id}/test} against a real LDAP server (UnboundID's in-memory directory on a free port of
 * 127.0.0.1), with short timeouts so that the failures are quick too.
 */
@QuarkusTest
class ConnectionTestResourceTest {

    static final String BASE = "DC=conntest,DC=test";
    static final String USERS = "OU=Users," + BASE;
    static final String BIND_DN = "CN=svc-adsync,OU=Service," + BASE;
    static final String PASSWORD = "Corr3ct-H0rse!Battery-" + UUID.randomUUID();

    static InMemoryDirectoryServer ldap;
    static int port;

    @BeforeAll
    static void startLdap() throws Exception {
        port = freePort();
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.setSchema(null);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName("127.0.0.1"), port, null));
        cfg.setCustomRootDSEAttributes(List.of(new Attribute("defaultNamingContext", BASE),
                new Attribute("dnsHostName", "dc1.conntest.test")));
        ldap = new InMemoryDirectoryServer(cfg);
        ldap.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: conntest");
        ldap.add("dn: OU=Service," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: Service");
        ldap.add("dn: " + USERS, "objectClass: top", "objectClass: organizationalUnit", "ou: Users");
        ldap.add("dn: " + BIND_DN, "objectClass: top", "objectClass: person", "cn: svc-adsync", "sn: adsync",
                "userPassword: " + PASSWORD);
        ldap.startListening();
    }

    @AfterAll
    static void stopLdap() {
        if (ldap != null) {
            ldap.shutDown(true);
        }
    }

    /** A domain on the in-memory server: plain LDAP, 1 s connect and 2 s read timeouts. */
    static Body ldapDomain() {
        return domain()
                .with("hosts", List.of("127.0.0.1"))
                .with("port", port)
                .with("security", "NONE")
                .with("bindDn", BIND_DN)
                .with("bindPassword", PASSWORD)
                .with("baseDn", USERS)
                .with("connectTimeoutSeconds", 1)
                .with("readTimeoutSeconds", 2);
    }

    static Response test(String id) {
        return admin().post("/domains/{id}/test", id);
    }

    @Test
    void bindsReadsTheRootDseAndFindsTheBaseDn() {
        String id = createDomain(ldapDomain());

        Response r = test(id);

        r.then().statusCode(200)
                .body("ok", equalTo(true))
                .body("category", nullValue())
                .body("baseDnFound", equalTo(true))
                .body("url", equalTo("ldap://127.0.0.1:" + port))
                .body("dnsHostName", equalTo("dc1.conntest.test"))
                .body("defaultNamingContext", equalTo(BASE))
                .body("message", containsString(BIND_DN))
                .body("durationMs", greaterThanOrEqualTo(0));
        assertThat(r.asString()).doesNotContain(PASSWORD);
    }

    @Test
    void wrongPasswordIsAuthAndNotAnHttpError() {
        String wrong = "Wr0ng-P4ss-" + UUID.randomUUID();
        String id = createDomain(ldapDomain().with("bindPassword", wrong));

        Response r = test(id);

        r.then().statusCode(200)
                .body("ok", equalTo(false))
                .body("category", equalTo("AUTH"))
                .body("baseDnFound", equalTo(false))
                .body("message", containsString("bind as " + BIND_DN));
        assertThat(r.asString()).doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void deadHostIsUnreachable() {
        String id = createDomain(ldapDomain().with("hosts", List.of("127.0.0.99")));

        Response r = test(id);

        r.then().statusCode(200)
                .body("ok", equalTo(false))
                .body("category", equalTo("UNREACHABLE"))
                .body("url", nullValue())
                .body("message", containsString("127.0.0.99:" + port));
        assertThat(r.<Integer>path("durationMs")).isLessThan(5000);
    }

    @Test
    void failsOverToTheNextHostLikeASync() {
        String id = createDomain(ldapDomain().with("hosts", List.of("127.0.0.99", "127.0.0.1")));

        test(id).then().statusCode(200)
                .body("ok", equalTo(true))
                .body("url", equalTo("ldap://127.0.0.1:" + port));
    }

    @Test
    void missingBaseDnIsProtocol() {
        String id = createDomain(ldapDomain().with("baseDn", "OU=Nope," + BASE));

        test(id).then().statusCode(200)
                .body("ok", equalTo(false))
                .body("category", equalTo("PROTOCOL"))
                .body("baseDnFound", equalTo(false))
                .body("url", equalTo("ldap://127.0.0.1:" + port))
                .body("message", containsString("OU=Nope"));
    }

    @Test
    void unknownDomainIs404() {
        UUID unknown = UUID.randomUUID();
        admin().post("/domains/{id}/test", unknown).then().spec(problem(404))
                .body("detail", containsString(unknown.toString()));
    }

    @Test
    void readersMayNotTest() {
        String id = createDomain(ldapDomain());
        reader().post("/domains/{id}/test", id).then().spec(problem(403));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
