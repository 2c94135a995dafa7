package io.adsync.api.domain;

import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Page;
import io.adsync.common.Violation;
import io.adsync.crypto.Pem;
import io.adsync.crypto.SecretCipher;
import io.adsync.directory.DirectoryConnector;
import io.adsync.domain.AttributeMapping;
import io.adsync.domain.Domain;
import io.adsync.job.SyncJob;
import io.adsync.ldap.LdapSyntax;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class DomainService {

    private static final Logger LOG = Logger.getLogger(DomainService.class);
    private static final int DEFAULT_CONNECT_TIMEOUT = 10;
    private static final int DEFAULT_READ_TIMEOUT = 60;

    private final SecretCipher cipher;
    private final DirectoryConnector connector = new DirectoryConnector();

    public DomainService(SecretCipher cipher) {
        this.cipher = cipher;
    }

    @Transactional
    public DomainResponse create(DomainRequest req) {
        List<Violation> violations = check(req);
        if (req.bindPassword() == null) {
            violations.add(new Violation("bindPassword", "must not be null"));
        }
        throwIfAny(violations);
        ensureNameFree(req.name(), null);
        Domain d = new Domain();
        d.id = UUID.randomUUID();
        apply(d, req);
        d.attributeMappings = List.copyOf(req.attributeMappings() == null ? AttributeMapping.DEFAULTS : req.attributeMappings());
        d.persist();
        return DomainResponse.of(d);
    }

    @Transactional
    public DomainResponse update(UUID id, DomainRequest req) {
        Domain d = find(id);
        throwIfAny(check(req));
        if (req.version() != null && req.version() != d.version) {
            throw ApiErrors.staleVersion("domain " + id, req.version(), d.version);
        }
        ensureNameFree(req.name(), id);
        apply(d, req);
        if (req.attributeMappings() != null && !req.attributeMappings().equals(d.mappings())) {
            d.attributeMappings = List.copyOf(req.attributeMappings());
            // updatedAt moves too (a changed row): the worker's next sync of this domain is full, and says why
            d.attributeMappingsChangedAt = Instant.now();
        }
        Domain.getEntityManager().flush();
        return DomainResponse.of(d);
    }

    public DomainResponse get(UUID id) {
        return DomainResponse.of(find(id));
    }

    public Page<DomainResponse> list(int page, int size) {
        return Page.of(Domain.<Domain>findAll(Sort.by("name")), page, size, DomainResponse::of);
    }

    /**
     * "Test connection", here in the API process and on the request's thread (a probe, not a sync: no run, no
     * worker): bind to the domain's controllers with failover, as a sync would, read the rootDSE and check that the
     * base DN exists, within the domain's connect and read timeouts. The row is read, and the password decrypted,
     * in a short transaction of its own, so no database connection is held while the directory is asked.
     *
     * @return the result, whether the test succeeded or not
     */
    public ConnectionTestResponse test(UUID id) {
        Probe probe = QuarkusTransaction.requiringNew().call(() -> {
            Domain d = find(id);
            return new Probe(d, cipher.decrypt(d.bindPasswordEncrypted, d.id));
        });
        DirectoryConnector.ConnectionTest t = connector.test(probe.domain(), probe.password());
        // the connector's messages are already redacted; the password itself is never logged or returned
        if (t.ok()) {
            LOG.infof("connection test of domain %s (%s): ok, %s in %d ms", probe.domain().name, id, t.url(), t.durationMs());
        } else {
            LOG.infof("connection test of domain %s (%s): %s in %d ms: %s", probe.domain().name, id, t.category(),
                    t.durationMs(), t.message());
        }
        return ConnectionTestResponse.of(t);
    }

    /** A detached domain row and its decrypted bind password. */
    private record Probe(Domain domain, String password) {
        @Override
        public String toString() {
            return "Probe[" + domain + "]";
        }
    }

    @Transactional
    public void delete(UUID id) {
        Domain d = find(id);
        List<SyncJob> jobs = SyncJob.list("domainId", Sort.by("name"), id);
        if (!jobs.isEmpty()) {
            throw ApiErrors.conflict("domain " + d.name + " is used by " + jobs.size() + " job(s): "
                            + String.join(", ", jobs.stream().map(j -> j.name).toList()) + ". Delete or re-point them first.",
                    "jobs", jobs.stream().map(j -> Map.of("id", j.id, "name", j.name)).toList());
        }
        d.delete();
    }

    static Domain find(UUID id) {
        Domain d = Domain.findById(id);
        if (d == null) {
            throw ApiErrors.notFound("domain", id);
        }
        return d;
    }

    private void apply(Domain d, DomainRequest req) {
        d.name = req.name().toLowerCase();
        d.hosts = List.copyOf(req.hosts());
        d.security = req.security();
        d.port = req.port() != null ? req.port() : req.security().defaultPort();
        d.caCertificatePem = blankToNull(req.caCertificatePem());
        d.bindDn = req.bindDn().trim();
        if (req.bindPassword() != null) {
            d.bindPasswordEncrypted = cipher.encrypt(req.bindPassword(), d.id);
        }
        d.baseDn = req.baseDn().trim();
        d.userFilter = req.userFilter() == null || req.userFilter().isBlank() ? Domain.DEFAULT_USER_FILTER : req.userFilter().trim();
        d.groupBaseDn = blankToNull(req.groupBaseDn()) == null ? null : req.groupBaseDn().trim();
        d.groupFilter = req.groupFilter() == null || req.groupFilter().isBlank() ? Domain.DEFAULT_GROUP_FILTER : req.groupFilter().trim();
        d.pageSize = req.pageSize() != null ? req.pageSize() : Domain.DEFAULT_PAGE_SIZE;
        d.connectTimeoutSeconds = req.connectTimeoutSeconds() != null ? req.connectTimeoutSeconds() : DEFAULT_CONNECT_TIMEOUT;
        d.readTimeoutSeconds = req.readTimeoutSeconds() != null ? req.readTimeoutSeconds() : DEFAULT_READ_TIMEOUT;
    }

    /** Checks Bean Validation cannot express: LDAP syntax and certificates. */
    private static List<Violation> check(DomainRequest req) {
        List<Violation> v = new ArrayList<>();
        LdapSyntax.bindIdentityProblem(req.bindDn()).ifPresent(p -> v.add(new Violation("bindDn", p)));
        LdapSyntax.dnProblem(req.baseDn()).ifPresent(p -> v.add(new Violation("baseDn", p)));
        if (req.userFilter() != null && !req.userFilter().isBlank()) {
            LdapSyntax.filterProblem(req.userFilter()).ifPresent(p -> v.add(new Violation("userFilter", p)));
        }
        if (req.groupBaseDn() != null && !req.groupBaseDn().isBlank()) {
            LdapSyntax.dnProblem(req.groupBaseDn()).ifPresent(p -> v.add(new Violation("groupBaseDn", p)));
        }
        if (req.groupFilter() != null && !req.groupFilter().isBlank()) {
            LdapSyntax.filterProblem(req.groupFilter()).ifPresent(p -> v.add(new Violation("groupFilter", p)));
        }
        v.addAll(AttributeMapping.validate(req.attributeMappings(), "attributeMappings"));
        if (req.caCertificatePem() != null && !req.caCertificatePem().isBlank()) {
            try {
                Pem.certificates(req.caCertificatePem());
            } catch (IllegalArgumentException e) {
                v.add(new Violation("caCertificatePem", e.getMessage()));
            }
        }
        return v;
    }

    private static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw ApiErrors.invalid(violations);
        }
    }

    private static void ensureNameFree(String name, UUID self) {
        Domain other = Domain.find("lower(name) = ?1", name.toLowerCase()).firstResult();
        if (other != null && !other.id.equals(self)) {
            throw ApiErrors.conflict("a domain named " + name + " already exists", "existingId", other.id);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
