package io.adsync.directory;

import io.adsync.domain.Security;
import io.adsync.run.ErrorCategory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HostPort, password redaction and error classification (moved out of the worker's SmallPartsTest). */
class DirectoryPartsTest {

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
}
