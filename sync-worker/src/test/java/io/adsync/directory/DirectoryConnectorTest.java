package io.adsync.directory;

import io.adsync.domain.Domain;
import io.adsync.run.ErrorCategory;
import io.adsync.run.SyncFailure;
import io.adsync.worker.sync.InMemoryAd;
import io.adsync.worker.sync.TestDomains;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connecting, TLS trust and hostname verification, binding, failover and error classification, for real. */
class DirectoryConnectorTest {

    static InMemoryAd ad;
    static final String CA = InMemoryAd.resource("tls/ca.pem");
    static final String OTHER_CA = InMemoryAd.resource("tls/other-ca.pem");
    final DirectoryConnector connector = new DirectoryConnector();

    @BeforeAll
    static void start() throws Exception {
        ad = new InMemoryAd();
    }

    @AfterAll
    static void stop() {
        ad.close();
    }

    @Test
    void plainLdapBindsWithDnAndReadsRootDse() {
        DirectoryConnector.ConnectionTest t = connector.test(TestDomains.plain(ad), InMemoryAd.BIND_PASSWORD);
        assertThat(t.ok()).as(t.message()).isTrue();
        assertThat(t.baseDnFound()).isTrue();
        assertThat(t.url()).isEqualTo("ldap://127.0.0.1:" + ad.ldapPort());
    }

    @Test
    void bindsWithUserPrincipalName() {
        Domain d = TestDomains.plain(ad);
        d.bindDn = InMemoryAd.BIND_UPN;
        DirectoryConnector.ConnectionTest t = connector.test(d, InMemoryAd.BIND_PASSWORD);
        assertThat(t.ok()).as(t.message()).isTrue();
    }

    @Test
    void ldapsWithTheDomainCaByIpAddress() {
        // The certificate names IP:127.0.0.1 (and not "localhost", which is what reverse DNS gives for 127.0.0.1):
        // this passes only because the configured host is verified, not a reverse lookup of it.
        DirectoryConnector.ConnectionTest t = connector.test(TestDomains.ldaps(ad, "127.0.0.1", CA), InMemoryAd.BIND_PASSWORD);
        assertThat(t.ok()).as(t.message()).isTrue();
        assertThat(t.url()).isEqualTo("ldaps://127.0.0.1:" + ad.ldapsPort());
    }

    @Test
    void ldapsWithoutTheCaIsRefused() {
        DirectoryConnector.ConnectionTest t = connector.test(TestDomains.ldaps(ad, "127.0.0.1", null), InMemoryAd.BIND_PASSWORD);
        assertThat(t.ok()).isFalse();
        assertFailedFast(t);
        assertThat(t.category()).isEqualTo(ErrorCategory.TLS);
    }

    @Test
    void ldapsWithAnotherCaIsRefused() {
        DirectoryConnector.ConnectionTest t = connector.test(TestDomains.ldaps(ad, "127.0.0.1", OTHER_CA), InMemoryAd.BIND_PASSWORD);
        assertThat(t.category()).isEqualTo(ErrorCategory.TLS);
        assertFailedFast(t);
        assertThat(t.message()).containsIgnoringCase("certification path");
    }

    @Test
    void ldapsToANameNotInTheCertificateFailsHostnameVerification() {
        // "localhost" reaches the same server (127.0.0.1) with a certificate from a trusted CA, but the certificate
        // does not name "localhost": the connection must be refused.
        DirectoryConnector.ConnectionTest t = connector.test(TestDomains.ldaps(ad, "localhost", CA), InMemoryAd.BIND_PASSWORD);
        assertThat(t.ok()).isFalse();
        assertThat(t.category()).isEqualTo(ErrorCategory.TLS);
        assertThat(t.message()).contains("hostname verification failed").contains("'localhost'");
        assertFailedFast(t);
    }

    @Test
    void startTlsWithTheDomainCa() throws Exception {
        try (DirectoryConnection c = connector.connect(TestDomains.startTls(ad, "127.0.0.1", CA), InMemoryAd.BIND_PASSWORD)) {
            assertThat(c.ldap().isSecured()).isTrue();
            assertThat(c.ldap().isAuthenticated()).isTrue();
        }
    }

    @Test
    void startTlsToANameNotInTheCertificateFails() {
        DirectoryConnector.ConnectionTest t = connector.test(TestDomains.startTls(ad, "localhost", CA), InMemoryAd.BIND_PASSWORD);
        assertThat(t.category()).isEqualTo(ErrorCategory.TLS);
        assertFailedFast(t);
        assertThatThrownBy(() -> connector.connect(TestDomains.startTls(ad, "localhost", CA), InMemoryAd.BIND_PASSWORD))
                .isInstanceOfSatisfying(SyncFailure.class, f -> {
                    assertThat(f.category()).isEqualTo(ErrorCategory.TLS);
                    assertThat(f.getMessage()).contains("hostname verification failed");
                });
    }

    @Test
    void startTlsWithAnotherCaFails() {
        assertThatThrownBy(() -> connector.connect(TestDomains.startTls(ad, "127.0.0.1", OTHER_CA), InMemoryAd.BIND_PASSWORD))
                .isInstanceOfSatisfying(SyncFailure.class, f -> assertThat(f.category()).isEqualTo(ErrorCategory.TLS));
    }

    @Test
    void wrongPasswordIsAuthAndNeverEchoed() {
        String wrong = "Wr0ng-P4ss-" + System.nanoTime();
        Domain d = TestDomains.plain(ad);
        d.hosts = List.of("127.0.0.1", "127.0.0.1"); // a refused bind must not be retried on the next DC
        assertThatThrownBy(() -> connector.connect(d, wrong))
                .isInstanceOfSatisfying(SyncFailure.class, f -> {
                    assertThat(f.category()).isEqualTo(ErrorCategory.AUTH);
                    assertThat(f.getMessage()).contains("bind as " + InMemoryAd.BIND_DN).contains("49")
                            .doesNotContain(wrong);
                });
        DirectoryConnector.ConnectionTest t = connector.test(d, wrong);
        assertThat(t.category()).isEqualTo(ErrorCategory.AUTH);
        assertThat(t.message()).doesNotContain(wrong);
    }

    @Test
    void emptyPasswordIsRefusedWithoutAnUnauthenticatedBind() {
        assertThatThrownBy(() -> connector.connect(TestDomains.plain(ad), ""))
                .isInstanceOfSatisfying(SyncFailure.class, f -> assertThat(f.category()).isEqualTo(ErrorCategory.AUTH));
    }

    @Test
    void malformedBindNameIsProtocol() {
        Domain d = TestDomains.plain(ad);
        d.bindDn = "this is not a DN";
        assertThatThrownBy(() -> connector.connect(d, InMemoryAd.BIND_PASSWORD))
                .isInstanceOfSatisfying(SyncFailure.class, f -> assertThat(f.category()).as(f.getMessage()).isEqualTo(ErrorCategory.PROTOCOL));
    }

    @Test
    void allHostsDeadIsUnreachableAndNamesEveryHost() throws Exception {
        int closed = InMemoryAd.freePort();
        Domain d = TestDomains.domain("dead", List.of("127.0.0.99", "127.0.0.1:" + closed), closed,
                io.adsync.domain.Security.NONE, null);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> connector.connect(d, InMemoryAd.BIND_PASSWORD))
                .isInstanceOfSatisfying(SyncFailure.class, f -> {
                    assertThat(f.category()).isEqualTo(ErrorCategory.UNREACHABLE);
                    assertThat(f.getMessage()).contains("all 2 domain controllers failed")
                            .contains("127.0.0.99:" + closed).contains("127.0.0.1:" + closed);
                });
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
    }

    @Test
    void failsOverToTheNextHost() throws Exception {
        Domain d = TestDomains.plain(ad);
        d.hosts = List.of("127.0.0.99", "127.0.0.1:" + InMemoryAd.freePort(), "127.0.0.1");
        try (DirectoryConnection c = connector.connect(d, InMemoryAd.BIND_PASSWORD)) {
            assertThat(c.url()).isEqualTo("ldap://127.0.0.1:" + ad.ldapPort());
        }
    }

    @Test
    void unknownHostIsUnreachable() {
        Domain d = TestDomains.plain(ad);
        d.hosts = List.of("dc1.no-such-domain.invalid");
        assertThatThrownBy(() -> connector.connect(d, InMemoryAd.BIND_PASSWORD))
                .isInstanceOfSatisfying(SyncFailure.class, f -> {
                    assertThat(f.category()).isEqualTo(ErrorCategory.UNREACHABLE);
                    assertThat(f.getMessage()).contains("dc1.no-such-domain.invalid");
                });
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (Silent silent = new Silent()) {
            Domain d = TestDomains.domain("silent", List.of("127.0.0.1"), silent.port(), io.adsync.domain.Security.NONE, null);
            d.connectTimeoutSeconds = 1;
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> connector.connect(d, InMemoryAd.BIND_PASSWORD))
                    .isInstanceOfSatisfying(SyncFailure.class, f -> assertThat(f.category()).as(f.getMessage()).isEqualTo(ErrorCategory.TIMEOUT));
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 5000L);
        }
    }

    @Test
    void anLdapsServerThatNeverAnswersTheHandshakeTimesOut() throws Exception {
        try (Silent silent = new Silent()) {
            Domain d = TestDomains.domain("silent", List.of("127.0.0.1"), silent.port(), io.adsync.domain.Security.LDAPS, CA);
            d.connectTimeoutSeconds = 1;
            assertThatThrownBy(() -> connector.connect(d, InMemoryAd.BIND_PASSWORD))
                    .isInstanceOfSatisfying(SyncFailure.class, f -> assertThat(f.category()).as(f.getMessage())
                            .isEqualTo(ErrorCategory.TIMEOUT));
        }
    }

    @Test
    void missingBaseDnFailsTheConnectionTest() {
        Domain d = TestDomains.plain(ad);
        d.baseDn = "OU=Nope," + InMemoryAd.BASE;
        DirectoryConnector.ConnectionTest t = connector.test(d, InMemoryAd.BIND_PASSWORD);
        assertThat(t.ok()).isFalse();
        assertThat(t.category()).isEqualTo(ErrorCategory.PROTOCOL);
        assertThat(t.message()).contains("OU=Nope");
    }

    /**
     * A refused TLS handshake is reported at once, not after the connect timeout (2 s here) that the LDAP library
     * would otherwise wait (see DirectoryConnector.FailFastConnection).
     */
    private static void assertFailedFast(DirectoryConnector.ConnectionTest t) {
        assertThat(t.durationMs()).as("TLS failure reported after %d ms", t.durationMs()).isLessThan(1500);
    }

    /** Accepts TCP connections and never says a word. */
    static final class Silent implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread thread;

        Silent() throws Exception {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            thread = Thread.ofVirtual().start(() -> {
                try {
                    while (!socket.isClosed()) {
                        Socket s = socket.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
            thread.join(1000);
        }
    }
}
