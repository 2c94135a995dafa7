package io.adsync.directory;

import io.adsync.run.ErrorCategory;
import io.adsync.run.SyncFailure;
import org.apache.directory.api.ldap.model.exception.LdapAuthenticationException;
import org.apache.directory.api.ldap.model.exception.LdapOperationException;
import org.apache.directory.api.ldap.model.exception.LdapStrongAuthenticationRequiredException;
import org.apache.directory.api.ldap.model.exception.LdapTlsHandshakeException;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.ldap.client.api.exception.InvalidConnectionException;
import org.apache.directory.ldap.client.api.exception.LdapConnectionTimeOutException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever went wrong while talking to a domain controller into an {@link ErrorCategory} and a message
 * that is safe to store and show: every message passes through {@link #redact} so the bind password can never
 * end up in a run's error, its details, or a log line, even if a library echoed it.
 */
public final class DirectoryErrors {

    private static final String REDACTED = "[redacted]";

    private DirectoryErrors() {
    }

    /** A classified failure. {@code message} is already redacted. */
    public record Classified(ErrorCategory category, String message) {
    }

    /**
     * Classifies {@code error} (walking its cause chain) and builds {@code "<context>: <detail>"}.
     *
     * @param context  what was being done, e.g. "ldaps://dc1:636: connect"
     * @param password the secret to scrub from the message (may be null)
     */
    public static Classified classify(Throwable error, String context, String password) {
        ErrorCategory category = category(error);
        return new Classified(category, redact(context + ": " + describe(error), password));
    }

    /**
     * The category of an exception, from the most specific evidence anywhere in its cause chain, in this order:
     * a classified failure; a database error; a certificate problem (untrusted chain, wrong host name: TLS); an
     * LDAP result (bind refused: AUTH, ...); a timeout; a plain I/O failure (refused, reset, unknown host:
     * UNREACHABLE), which wins over the TLS wrapper the library puts around any error on a TLS connection, so a
     * DC that dies mid-search is UNREACHABLE and not TLS; then any other TLS/handshake failure (TLS); then
     * whatever else the LDAP library reports (PROTOCOL).
     */
    public static ErrorCategory category(Throwable error) {
        List<Throwable> chain = chain(error);
        for (Throwable t : chain) {
            if (t instanceof SyncFailure f) {
                return f.category();
            }
        }
        for (Throwable t : chain) {
            if (t instanceof SQLException) {
                return ErrorCategory.DB;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertificateException || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return ErrorCategory.TLS;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof LdapAuthenticationException || t instanceof LdapStrongAuthenticationRequiredException) {
                return ErrorCategory.AUTH;
            }
            if (t instanceof LdapOperationException op && op.getResultCode() != null
                    && op.getResultCode() != ResultCodeEnum.OTHER && op.getResultCode() != ResultCodeEnum.UNKNOWN) {
                return category(op.getResultCode());
            }
        }
        for (Throwable t : chain) {
            if (t instanceof LdapConnectionTimeOutException || t instanceof SocketTimeoutException
                    || t instanceof TimeoutException) {
                return ErrorCategory.TIMEOUT;
            }
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("timeout") || m.contains("timed out")) {
                return ErrorCategory.TIMEOUT;
            }
        }
        for (Throwable t : chain) {
            if ((t instanceof IOException && !(t instanceof SSLException)) || t instanceof InvalidConnectionException) {
                return ErrorCategory.UNREACHABLE; // refused, reset, unknown host, no route, closed channel, EOF
            }
        }
        for (Throwable t : chain) {
            if (t instanceof LdapTlsHandshakeException || t instanceof SSLException || t instanceof GeneralSecurityException) {
                return ErrorCategory.TLS;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof org.apache.directory.api.ldap.model.exception.LdapException) {
                return ErrorCategory.PROTOCOL;
            }
        }
        return ErrorCategory.INTERNAL;
    }

    /**
     * LDAP result codes: bind refusals are AUTH; busy/unavailable servers are UNREACHABLE; a server-side time
     * limit is TIMEOUT; everything else (no such base DN, bad filter, insufficient rights, unsupported critical
     * control, ...) is PROTOCOL.
     */
    public static ErrorCategory category(ResultCodeEnum code) {
        return switch (code) {
            case INVALID_CREDENTIALS, INAPPROPRIATE_AUTHENTICATION, STRONG_AUTH_REQUIRED, CONFIDENTIALITY_REQUIRED,
                 AUTH_METHOD_NOT_SUPPORTED -> ErrorCategory.AUTH;
            case BUSY, UNAVAILABLE -> ErrorCategory.UNREACHABLE;
            case TIME_LIMIT_EXCEEDED -> ErrorCategory.TIMEOUT;
            default -> ErrorCategory.PROTOCOL;
        };
    }

    /** The distinct messages of the cause chain, outermost first, e.g. "TLS handshake failed: PKIX path ...". */
    public static String describe(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t : chain(error)) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                m = t.getClass().getSimpleName();
            } else if (t instanceof UnknownHostException) {
                m = "unknown host " + m;
            } else if (t instanceof ConnectException || t instanceof SocketTimeoutException) {
                m = t.getClass().getSimpleName() + ": " + m;
            }
            m = m.strip();
            String finalM = m;
            if (parts.stream().noneMatch(p -> p.contains(finalM))) {
                parts.add(m);
            }
        }
        String joined = String.join(": ", parts);
        return joined.length() > 2000 ? joined.substring(0, 2000) + "..." : joined;
    }

    /** Removes every occurrence of the secret from a message. */
    public static String redact(String message, String password) {
        if (message == null || password == null || password.isEmpty()) {
            return message;
        }
        return message.replace(password, REDACTED);
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = error; t != null && seen.put(t, true) == null; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
