package io.adsync.worker.sync;

import io.adsync.domain.Security;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.worker.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HostPort, DeletionGuard, password redaction and how domain outcomes add up to a run result. */
class SmallPartsTest {

    @Test
    void hostPort() {
        assertThat(HostPort.parse("dc1.corp.example", 636)).isEqualTo(new HostPort("dc1.corp.example", 636));
        assertThat(HostPort.parse(" dc1:3269 ", 636)).isEqualTo(new HostPort("dc1", 3269));
        assertThat(HostPort.parse("10.0.0.5", 389)).isEqualTo(new HostPort("10.0.0.5", 389));
        assertThat(HostPort.parse("fd00::5", 389)).isEqualTo(new HostPort("fd00::5", 389));
        assertThat(HostPort.parse("[fd00::5]:1636", 389)).isEqualTo(new HostPort("fd00::5", 1636));
        assertThat(HostPort.parse("[fd00::5]", 389)).isEqualTo(new HostPort("fd00::5", 389));
        assertThat(new HostPort("fd00::5", 636).url(Security.LDAPS)).isEqualTo("ldaps://[fd00::5]:636");
        assertThat(new HostPort("dc1", 389).url(Security.STARTTLS)).isEqualTo("ldap://dc1:389");
        assertThatThrownBy(() -> HostPort.parse("dc1:99999", 389)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletionGuardIsTheSmallerOfCountAndPercent() {
        DeletionGuard g = new DeletionGuard(500, 20, false);
        assertThat(g.threshold(10_000)).isEqualTo(500);
        assertThat(g.threshold(1_000)).isEqualTo(200);
        assertThat(g.threshold(9)).isEqualTo(1); // floor(1.8)
        assertThat(g.threshold(0)).isZero();
        assertThat(g.allows(200, 1_000)).isTrue();
        assertThat(g.allows(201, 1_000)).isFalse();
        assertThat(new DeletionGuard(500, 20, true).allows(1_000, 1_000)).isTrue();
        assertThat(new DeletionGuard(0, 100, false).allows(1, 1_000)).isFalse();
    }

    @Test
    void redactionRemovesTheSecretEverywhere() {
        assertThat(DirectoryErrors.redact("bind 'p4ss' failed: p4ss", "p4ss")).isEqualTo("bind '[redacted]' failed: [redacted]");
        assertThat(DirectoryErrors.redact("nothing here", null)).isEqualTo("nothing here");
        assertThat(DirectoryErrors.classify(new RuntimeException("echo s3cret"), "ctx", "s3cret").message())
                .isEqualTo("ctx: echo [redacted]");
    }

    @Test
    void classification() {
        var tlsWrapper = "ERR_04120_TLS_HANDSHAKE_ERROR The TLS handshake failed";
        // a DC that dies on a TLS connection: the library wraps the reset in its TLS exception
        assertThat(DirectoryErrors.category(new org.apache.directory.api.ldap.model.exception.LdapTlsHandshakeException(
                tlsWrapper, new java.net.SocketException("Connection reset")))).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(DirectoryErrors.category(new org.apache.directory.api.ldap.model.exception.LdapTlsHandshakeException(
                tlsWrapper, new javax.net.ssl.SSLHandshakeException("PKIX path building failed",
                        new java.security.cert.CertificateException("untrusted"))))).isEqualTo(ErrorCategory.TLS);
        assertThat(DirectoryErrors.category(new javax.net.ssl.SSLHandshakeException("no cipher suites in common")))
                .isEqualTo(ErrorCategory.TLS);
        assertThat(DirectoryErrors.category(new org.apache.directory.api.ldap.model.exception.LdapException(
                "x", new java.net.ConnectException("Connection refused")))).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(DirectoryErrors.category(new org.apache.directory.api.ldap.model.exception.LdapException(
                "x", new java.net.UnknownHostException("dc9")))).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(DirectoryErrors.category(new org.apache.directory.ldap.client.api.exception.LdapConnectionTimeOutException("t")))
                .isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(DirectoryErrors.category(new org.apache.directory.api.ldap.model.exception.LdapAuthenticationException("no")))
                .isEqualTo(ErrorCategory.AUTH);
        assertThat(DirectoryErrors.category(new org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException("base")))
                .isEqualTo(ErrorCategory.PROTOCOL);
        assertThat(DirectoryErrors.category(new java.sql.SQLException("db down"))).isEqualTo(ErrorCategory.DB);
        assertThat(DirectoryErrors.category(new IllegalStateException("bug"))).isEqualTo(ErrorCategory.INTERNAL);
        assertThat(DirectoryErrors.category(org.apache.directory.api.ldap.model.message.ResultCodeEnum.BUSY))
                .isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(DirectoryErrors.category(org.apache.directory.api.ldap.model.message.ResultCodeEnum.INVALID_CREDENTIALS))
                .isEqualTo(ErrorCategory.AUTH);
        assertThat(DirectoryErrors.category(org.apache.directory.api.ldap.model.message.ResultCodeEnum.TIME_LIMIT_EXCEEDED))
                .isEqualTo(ErrorCategory.TIMEOUT);
        assertThat(DirectoryErrors.category(org.apache.directory.api.ldap.model.message.ResultCodeEnum.NO_SUCH_OBJECT))
                .isEqualTo(ErrorCategory.PROTOCOL);
    }

    @Test
    void oneFailedDomainFailsTheRunAndStatsAreSummed() {
        DomainOutcome ok = outcome("a", null, new RunStats(3, 1, 0, 0, 5, 0));
        DomainOutcome bad = outcome("b", ErrorCategory.UNREACHABLE, new RunStats(1, 0, 0, 0, 0, 0));
        RunResult r = AdSyncExecutor.result(List.of(ok, bad));
        assertThat(r.failed()).isTrue();
        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(r.errorMessage()).startsWith("1 of 2 domains failed: b: UNREACHABLE");
        assertThat(r.stats()).isEqualTo(new RunStats(4, 1, 0, 0, 5, 0));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> domains = (List<Map<String, Object>>) r.details().get("domains");
        assertThat(domains).extracting(d -> d.get("name")).containsExactly("a", "b");
        assertThat(domains).extracting(d -> d.get("state")).containsExactly("SUCCEEDED", "FAILED");
        assertThat(domains.get(1)).containsEntry("category", "UNREACHABLE");
    }

    @Test
    void aRetryableFailureWinsOverTheDeletionGuard() {
        RunResult r = AdSyncExecutor.result(List.of(outcome("a", ErrorCategory.DELETION_THRESHOLD, RunStats.EMPTY),
                outcome("b", ErrorCategory.TIMEOUT, RunStats.EMPTY)));
        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
        RunResult only = AdSyncExecutor.result(List.of(outcome("a", ErrorCategory.DELETION_THRESHOLD, RunStats.EMPTY)));
        assertThat(only.errorCategory()).isEqualTo(ErrorCategory.DELETION_THRESHOLD);
        assertThat(only.errorMessage()).isEqualTo("msg a");
        assertThat(AdSyncExecutor.result(List.of()).failed()).isFalse();
    }

    private static DomainOutcome outcome(String name, ErrorCategory category, RunStats stats) {
        return new DomainOutcome(UUID.randomUUID(), name, category == null ? "SUCCEEDED" : "FAILED", category,
                category == null ? null : "msg " + name, stats, 0, 0, null, null, null, null, 0, List.of());
    }
}
