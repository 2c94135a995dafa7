package io.adsync.directory;

import io.adsync.domain.Domain;
import io.adsync.domain.Security;
import io.adsync.run.ErrorCategory;
import io.adsync.run.SyncFailure;
import org.apache.directory.api.ldap.codec.api.DefaultConfigurableBinaryAttributeDetector;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.message.BindRequestImpl;
import org.apache.directory.api.ldap.model.message.BindResponse;
import org.apache.directory.api.ldap.model.message.LdapResult;
import org.apache.directory.api.ldap.model.message.ResultCodeEnum;
import org.apache.directory.ldap.client.api.LdapConnectionConfig;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.apache.directory.ldap.client.api.future.HandshakeFuture;
import org.apache.mina.core.session.IoSession;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens an authenticated LDAP connection to one of a domain's controllers (Apache Directory LDAP API).
 * <ul>
 *   <li>Transport: LDAPS (TLS from the first byte), STARTTLS (plain connect, then the StartTLS extended
 *       operation before the bind) or NONE. TLS 1.2/1.3 only; trust and hostname verification as in
 *       {@link DirectoryTrust}.</li>
 *   <li>Failover: {@code hosts} are tried in order. A host that cannot be reached, times out or fails the TLS
 *       handshake is skipped; a refused bind (AUTH) or a malformed bind name (PROTOCOL) stops at once, because
 *       every DC of a domain would answer the same (and retrying wrong credentials on every DC only locks the
 *       account out faster). When every host failed, the error says what happened on each; its category is the
 *       most telling one (TLS over TIMEOUT over UNREACHABLE).</li>
 *   <li>Bind: simple bind with the domain's bind DN or UPN ({@code svc@corp.example}, which AD accepts as a bind
 *       name). An empty password is refused before anything is sent: an LDAP simple bind with a name and no
 *       password is an unauthenticated ("anonymous") bind that many servers accept.</li>
 *   <li>Timeouts: the domain's connect timeout for TCP connect, TLS handshake and bind; its read timeout for
 *       every response after that (each page of a search).</li>
 * </ul>
 * The password is never logged, and every message this class produces is passed through
 * {@link DirectoryErrors#redact}. Plain class without CDI or database, so the API's "test connection" can use
 * {@link #test} as it is.
 */
public final class DirectoryConnector {

    private static final Logger LOG = Logger.getLogger(DirectoryConnector.class);
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * Connects and binds, failing over through the domain's hosts.
     *
     * @param password the decrypted bind password
     * @throws SyncFailure classified (UNREACHABLE, TIMEOUT, TLS, AUTH, PROTOCOL)
     */
    public DirectoryConnection connect(Domain domain, String password) throws SyncFailure {
        if (password == null || password.isEmpty()) {
            throw new SyncFailure(ErrorCategory.AUTH, "the domain has an empty bind password; refusing an unauthenticated bind");
        }
        if (domain.hosts == null || domain.hosts.isEmpty()) {
            throw new SyncFailure(ErrorCategory.PROTOCOL, "the domain has no hosts");
        }
        List<DirectoryErrors.Classified> failures = new ArrayList<>();
        for (String entry : domain.hosts) {
            HostPort hp;
            try {
                hp = HostPort.parse(entry, domain.port);
            } catch (IllegalArgumentException e) {
                failures.add(new DirectoryErrors.Classified(ErrorCategory.UNREACHABLE, e.getMessage()));
                continue;
            }
            try {
                return connectOne(domain, hp, password);
            } catch (SyncFailure f) {
                DirectoryErrors.Classified c = new DirectoryErrors.Classified(f.category(), f.getMessage());
                if (f.category() == ErrorCategory.AUTH || f.category() == ErrorCategory.PROTOCOL) {
                    throw f;
                }
                LOG.warnf("domain %s: %s; trying the next host", domain.name, c.message());
                failures.add(c);
            }
        }
        throw allFailed(failures);
    }

    /** Connect and bind to one host. */
    DirectoryConnection connectOne(Domain domain, HostPort hp, String password) throws SyncFailure {
        String url = hp.url(domain.security);
        LdapNetworkConnection ldap = null;
        String step = "connect";
        try {
            LdapConnectionConfig config = config(domain, hp);
            ldap = new FailFastConnection(config);
            step = domain.security == Security.STARTTLS ? "connect and StartTLS" : domain.security == Security.LDAPS ? "connect (TLS)" : "connect";
            if (!ldap.connect()) {
                throw new SyncFailure(ErrorCategory.UNREACHABLE, url + ": could not connect");
            }
            step = "bind as " + domain.bindDn;
            BindResponse response = ldap.bind(new BindRequestImpl().setSimple(true).setName(domain.bindDn)
                    .setCredentials(password));
            LdapResult result = response.getLdapResult();
            if (result.getResultCode() != ResultCodeEnum.SUCCESS) {
                ErrorCategory category = DirectoryErrors.category(result.getResultCode()); // BUSY/UNAVAILABLE: fail over
                String diag = result.getDiagnosticMessage();
                throw new SyncFailure(category, DirectoryErrors.redact(url + ": " + step + " refused: "
                        + result.getResultCode().getMessage() + " (" + result.getResultCode().getResultCode() + ")"
                        + (diag == null || diag.isBlank() ? "" : ": " + diag.strip()), password));
            }
            DirectoryConnection connection = new DirectoryConnection(ldap, hp, url, domain.readTimeoutSeconds);
            ldap = null;
            return connection;
        } catch (SyncFailure f) {
            throw f;
        } catch (GeneralSecurityException e) {
            throw new SyncFailure(ErrorCategory.TLS, DirectoryErrors.redact(url + ": " + DirectoryErrors.describe(e), password));
        } catch (Exception e) {
            DirectoryErrors.Classified c = DirectoryErrors.classify(e, url + ": " + step, password);
            ErrorCategory category = c.category();
            if (category == ErrorCategory.INTERNAL || category == ErrorCategory.DB) {
                category = ErrorCategory.PROTOCOL;
            }
            throw new SyncFailure(category, c.message());
        } finally {
            if (ldap != null) {
                closeQuietly(ldap);
            }
        }
    }

    LdapConnectionConfig config(Domain domain, HostPort hp) throws GeneralSecurityException {
        LdapConnectionConfig config = new LdapConnectionConfig();
        config.setLdapHost(hp.host());
        config.setLdapPort(hp.port());
        config.setUseSsl(domain.security == Security.LDAPS);
        config.setUseTls(domain.security == Security.STARTTLS);
        if (domain.security != Security.NONE) {
            config.setTrustManagers(DirectoryTrust.trustManager(domain.caCertificatePem, hp.host()));
            config.setEnabledProtocols(TLS_PROTOCOLS);
        }
        long connectMs = Duration.ofSeconds(Math.max(1, domain.connectTimeoutSeconds)).toMillis();
        long readMs = Duration.ofSeconds(Math.max(1, domain.readTimeoutSeconds)).toMillis();
        config.setConnectTimeout(connectMs);
        // The library waits for the TCP connect, the TLS handshake, StartTLS and the bind response with the
        // connect timeout, and for every search response (each page) with the read operation timeout.
        config.setTimeout(readMs);
        config.setReadOperationTimeout(readMs);
        config.setWriteOperationTimeout(readMs);
        config.setSendTimeout(readMs);
        // close() only waits for the session to report closed; after a failed TLS handshake that report can take
        // seconds (the session is gone and MINA's threads end regardless), so do not wait long for it
        config.setCloseTimeout(Math.min(connectMs, 1000L));
        DefaultConfigurableBinaryAttributeDetector binary = new DefaultConfigurableBinaryAttributeDetector();
        binary.addBinaryAttribute(AdAttributes.OBJECT_GUID, DcState.INVOCATION_ID);
        binary.addBinaryAttribute(AdAttributes.KNOWN_BINARY.toArray(String[]::new));
        // mapped attributes whose values are bytes: the library must not decode them as UTF-8
        binary.addBinaryAttribute(domain.mappings().stream().filter(m -> m.type() != null && m.type().binary())
                .map(io.adsync.domain.AttributeMapping::source).toArray(String[]::new));
        config.setBinaryAttributeDetector(binary);
        return config;
    }

    /**
     * "Test connection": connect and bind (with failover, like a sync), read the rootDSE, and check that the base
     * DN exists. Never throws; the result carries the classified error, safe to show to the user.
     *
     * @param password the plaintext bind password (e.g. just typed in, or decrypted from the row)
     */
    public ConnectionTest test(Domain domain, String password) {
        long t0 = System.nanoTime();
        try (DirectoryConnection c = connect(domain, password)) {
            Entry root = c.ldap().getRootDse("defaultNamingContext", "dnsHostName", "serverName",
                    "supportedLDAPVersion", "domainFunctionality", "vendorName");
            if (root == null) {
                return ConnectionTest.failed(ErrorCategory.PROTOCOL, c.url() + ": the server returned no rootDSE", t0);
            }
            boolean baseFound = c.exists(domain.baseDn);
            String dns = string(root.get("dnsHostName"));
            String naming = string(root.get("defaultNamingContext"));
            if (!baseFound) {
                return new ConnectionTest(false, ErrorCategory.PROTOCOL, c.url() + ": the base DN '" + domain.baseDn
                        + "' does not exist (or the bind account cannot see it)", c.url(), dns, naming, false, ms(t0), null);
            }
            SchemaCheck schema = checkSchema(c, domain);
            return new ConnectionTest(true, null, "bound to " + c.url() + " as " + domain.bindDn
                    + (schema.unknown() == null ? "; " + schema.note()
                    : schema.unknown().isEmpty() ? "; the schema knows every mapped attribute"
                    : "; the schema does not know the mapped attribute(s) " + String.join(", ", schema.unknown())),
                    c.url(), dns, naming, true, ms(t0), schema.unknown());
        } catch (SyncFailure f) {
            return ConnectionTest.failed(f.category(), DirectoryErrors.redact(f.getMessage(), password), t0);
        } catch (Exception e) {
            DirectoryErrors.Classified c = DirectoryErrors.classify(e, "test connection", password);
            return ConnectionTest.failed(c.category(), c.message(), t0);
        }
    }

    /**
     * Result of {@link #test}.
     *
     * @param ok                   connected, bound, rootDSE read and base DN found
     * @param category             why not, when not ok
     * @param message              what happened (never contains the password)
     * @param url                  the DC that answered, if one did
     * @param dnsHostName          the DC's rootDSE dnsHostName
     * @param defaultNamingContext the DC's rootDSE defaultNamingContext (a hint for the base DN)
     * @param baseDnFound          whether the configured base DN exists
     */
    public record ConnectionTest(boolean ok, ErrorCategory category, String message, String url, String dnsHostName,
                                 String defaultNamingContext, boolean baseDnFound, long durationMs,
                                 List<String> unknownAttributes) {
        static ConnectionTest failed(ErrorCategory category, String message, long t0) {
            return new ConnectionTest(false, category, message, null, null, null, false, ms(t0), null);
        }
    }

    /** @param unknown the mapped sources the schema does not define; null if the schema could not be read (note says why) */
    record SchemaCheck(List<String> unknown, String note) {
    }

    /**
     * Which of the domain's mapped attributes the DC's schema does not define: one search of the schema partition
     * (rootDSE {@code schemaNamingContext}, as AD and Samba publish it) for attributeSchema objects whose
     * {@code lDAPDisplayName} (or {@code attributeID}, for an OID) is a mapped source.
     */
    static SchemaCheck checkSchema(DirectoryConnection c, Domain domain) {
        List<String> sources = domain.mappings().stream().map(io.adsync.domain.AttributeMapping::source).distinct().toList();
        if (sources.isEmpty()) {
            return new SchemaCheck(List.of(), null);
        }
        try {
            Entry root = c.ldap().getRootDse("schemaNamingContext");
            String schemaNc = root == null ? null : string(root.get("schemaNamingContext"));
            if (schemaNc == null) {
                return new SchemaCheck(null, "the mapped attributes were not checked: the server publishes no schemaNamingContext");
            }
            StringBuilder f = new StringBuilder("(&(objectClass=attributeSchema)(|");
            for (String s : sources) {
                String escaped = s.replace("\\", "\\5c").replace("*", "\\2a").replace("(", "\\28").replace(")", "\\29");
                f.append(Character.isDigit(s.charAt(0)) ? "(attributeID=" : "(lDAPDisplayName=").append(escaped).append(')');
            }
            f.append("))");
            java.util.Set<String> known = new java.util.HashSet<>();
            c.pagedSearch(schemaNc, f.toString(), 1000, List.of("lDAPDisplayName", "attributeID"), new DirectoryConnection.PageSink() {
                @Override
                public void entry(Entry e) {
                    for (String a : List.of("lDAPDisplayName", "attributeID")) {
                        String v = string(e.get(a));
                        if (v != null) {
                            known.add(v.toLowerCase(java.util.Locale.ROOT));
                        }
                    }
                }

                @Override
                public void pageDone(int page, int entriesInPage) {
                }
            });
            return new SchemaCheck(sources.stream().filter(s -> !known.contains(s.toLowerCase(java.util.Locale.ROOT))).toList(), null);
        } catch (Exception e) {
            return new SchemaCheck(null, "the mapped attributes were not checked: reading the schema failed: "
                    + DirectoryErrors.describe(e));
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String string(Attribute a) {
        try {
            return a == null ? null : a.getString();
        } catch (Exception e) {
            return null;
        }
    }

    private static SyncFailure allFailed(List<DirectoryErrors.Classified> failures) {
        ErrorCategory category = ErrorCategory.UNREACHABLE;
        for (ErrorCategory preferred : List.of(ErrorCategory.TLS, ErrorCategory.TIMEOUT)) {
            if (failures.stream().anyMatch(f -> f.category() == preferred)) {
                category = preferred;
                break;
            }
        }
        StringBuilder sb = new StringBuilder(failures.size() == 1 ? "the domain controller failed: "
                : "all " + failures.size() + " domain controllers failed: ");
        for (int i = 0; i < failures.size(); i++) {
            sb.append(i == 0 ? "" : "; ").append(failures.get(i).category()).append(' ').append(failures.get(i).message());
        }
        return new SyncFailure(category, sb.toString());
    }

    /**
     * The library's connection, except that a failed TLS handshake (LDAPS or StartTLS: untrusted certificate, wrong
     * host name, protocol mismatch) fails {@code connect()} at once. The library closes the session on the error but
     * leaves {@code connect()} waiting for its handshake future until the connect timeout; releasing that future
     * (reflectively: the field is private) makes it throw the real cause right away. Should a library upgrade rename
     * the field, this degrades to the library's behaviour (a TLS failure reported after the connect timeout), which
     * DirectoryConnectorTest's timing assertions would flag.
     */
    static final class FailFastConnection extends LdapNetworkConnection {
        private static final Field HANDSHAKE = handshakeField();

        FailFastConnection(LdapConnectionConfig config) {
            super(config);
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) throws Exception {
            super.exceptionCaught(session, cause); // records the cause on the session and closes it
            if (HANDSHAKE != null) {
                try {
                    if (HANDSHAKE.get(this) instanceof HandshakeFuture handshake) {
                        handshake.cancel();
                    }
                } catch (IllegalAccessException | RuntimeException e) {
                    LOG.debugf("could not release the TLS handshake wait: %s", e);
                }
            }
        }

        private static Field handshakeField() {
            try {
                Field f = LdapNetworkConnection.class.getDeclaredField("handshakeFuture");
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debugf("LdapNetworkConnection.handshakeFuture not accessible (%s): TLS failures wait for the connect timeout", e);
                return null;
            }
        }
    }

    static void closeQuietly(LdapNetworkConnection ldap) {
        try {
            ldap.close();
        } catch (Exception e) {
            LOG.debugf("closing an LDAP connection: %s", e.getMessage());
        }
    }
}
