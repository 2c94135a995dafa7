package io.adsync.directory;

import io.adsync.crypto.Pem;
import io.adsync.worker.sync.InMemoryAd;
import org.junit.jupiter.api.Test;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/** Hostname matching rules, on real certificates (see src/test/resources/tls/README.md). */
class DirectoryTrustTest {

    static final X509Certificate SERVER = Pem.certificates(InMemoryAd.resource("tls/server.pem")).getFirst();
    static final X509Certificate WILDCARD = Pem.certificates(InMemoryAd.resource("tls/wildcard.pem")).getFirst();
    static final X509Certificate CN_ONLY = Pem.certificates(InMemoryAd.resource("tls/cn-only.pem")).getFirst();

    @Test
    void ipAddressMatchesOnlyAnIpSan() {
        ok("127.0.0.1", SERVER);
        fails("127.0.0.2", SERVER);
        fails("localhost", SERVER);
        // an IP literal is never matched against a DNS SAN or the CN, and IPv6 forms are compared as addresses
        ok("::1", WILDCARD);
        ok("[0:0:0:0:0:0:0:1]", WILDCARD);
        fails("127.0.0.1", WILDCARD);
    }

    @Test
    void dnsNamesMatchDnsSansCaseInsensitively() {
        ok("ldap.corp.test", SERVER);
        ok("LDAP.Corp.Test.", SERVER);
        fails("ldap.corp.test.evil", SERVER);
        fails("corp.test", SERVER);
    }

    @Test
    void wildcardOnlyCoversOneLeftmostLabel() {
        ok("dc1.corp.test", WILDCARD);
        ok("corp.test", WILDCARD); // DNS:Corp.Test
        fails("a.dc1.corp.test", WILDCARD);
        fails("ignored.example", WILDCARD); // the CN is not used when there are DNS SANs
        assertThat(DirectoryTrust.dnsMatches("x.com", "*.com")).isFalse();
        assertThat(DirectoryTrust.dnsMatches("dc1.corp.test", "d*.corp.test")).isFalse();
    }

    @Test
    void commonNameOnlyWithoutDnsSans() {
        ok("dc1.corp.test", CN_ONLY);
        fails("dc2.corp.test", CN_ONLY);
    }

    @Test
    void invalidCaPemIsATlsProblem() {
        assertThatThrownBy(() -> DirectoryTrust.trustManager("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----", "h"))
                .isInstanceOf(CertificateException.class).hasMessageContaining("CA certificate");
    }

    @Test
    void trustsTheJvmDefaultsAndTheDomainCa() throws Exception {
        var tm = DirectoryTrust.trustManager(InMemoryAd.resource("tls/ca.pem"), "127.0.0.1");
        assertThat(tm.getAcceptedIssuers()).hasSizeGreaterThan(DirectoryTrust.jvmAnchors().size() - 1);
        assertThat(tm.getAcceptedIssuers()).anySatisfy(c -> assertThat(c.getSubjectX500Principal().getName()).contains("adsync test CA"));
        assertThat(DirectoryTrust.jvmAnchors()).isNotEmpty();
        X509Certificate[] chain = {SERVER};
        assertThatCode(() -> tm.checkServerTrusted(chain, "RSA")).doesNotThrowAnyException();
        var other = DirectoryTrust.trustManager(InMemoryAd.resource("tls/other-ca.pem"), "127.0.0.1");
        assertThatThrownBy(() -> other.checkServerTrusted(chain, "RSA")).isInstanceOf(CertificateException.class);
        var wrongHost = DirectoryTrust.trustManager(InMemoryAd.resource("tls/ca.pem"), "localhost");
        assertThatThrownBy(() -> wrongHost.checkServerTrusted(chain, "RSA")).hasMessageContaining("hostname verification failed");
        assertThatThrownBy(() -> tm.checkClientTrusted(chain, "RSA")).isInstanceOf(CertificateException.class);
    }

    private static void ok(String host, X509Certificate cert) {
        assertThatCode(() -> DirectoryTrust.verifyHost(host, cert)).as(host).doesNotThrowAnyException();
    }

    private static void fails(String host, X509Certificate cert) {
        assertThatThrownBy(() -> DirectoryTrust.verifyHost(host, cert)).as(host).isInstanceOf(CertificateException.class)
                .hasMessageContaining("hostname verification failed");
    }
}
