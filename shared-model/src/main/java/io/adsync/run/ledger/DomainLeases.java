package io.adsync.run.ledger;

import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Domain leases: at most one run syncs a domain at a time. A run holds the lease of every domain it touches, taken
 * all or nothing and always in domain id order, so that transactions waiting on each other's leases always wait in
 * one direction and never deadlock. A lease lives as long as its run's lease ({@link RunLedger}): it is extended
 * with the run's heartbeat and released when the run ends; an expired one may be taken over.
 */
public final class DomainLeases {

    private DomainLeases() {
    }

    /**
     * Takes the domain leases of freshly claimed single-domain runs in the claim's own transaction, so the common
     * run needs no transaction of its own before it starts (the claim is the fence: the runs were made RUNNING
     * under our lease in this very transaction). One run per domain at most (two claimed jobs may share one);
     * a run whose domain is leased to another live run is not returned and takes the usual path ({@link #ACQUIRE}).
     */
    static final String LEASE_CLAIMED = """
            INSERT INTO domain_lease (domain_id, run_id, lease_until)
            SELECT DISTINCT ON (t.domain_id) t.domain_id, t.run_id, now() + make_interval(secs => :lease)
              FROM unnest(:runs, :domains) AS t(run_id, domain_id)
             ORDER BY t.domain_id, t.run_id
            ON CONFLICT (domain_id) DO UPDATE SET run_id = excluded.run_id, lease_until = excluded.lease_until
             WHERE domain_lease.lease_until < now() OR domain_lease.run_id = excluded.run_id
            RETURNING run_id
            """;

    /**
     * Takes the lease of every domain a run touches, all or nothing (the caller rolls back on a partial result).
     * A lease held by another live run is left alone; an expired one is taken over.
     */
    static final String ACQUIRE = """
            INSERT INTO domain_lease (domain_id, run_id, lease_until)
            SELECT d, :run, now() + make_interval(secs => :lease) FROM unnest(:domains) AS d ORDER BY d
            ON CONFLICT (domain_id) DO UPDATE SET run_id = excluded.run_id, lease_until = excluded.lease_until
             WHERE domain_lease.lease_until < now() OR domain_lease.run_id = excluded.run_id
            RETURNING domain_id
            """;

    /** Extends the run's domain leases, locked in domain id order like everywhere else. */
    static final String EXTEND = """
            UPDATE domain_lease SET lease_until = now() + make_interval(secs => :lease)
             WHERE domain_id IN (SELECT domain_id FROM domain_lease WHERE run_id = :run ORDER BY domain_id FOR UPDATE)
            """;

    /**
     * Drops the domain leases of ended runs, locking them in domain id order first, as they are taken: a claim
     * waiting for one of these domains while holding another could otherwise deadlock with us.
     */
    static final String RELEASE = """
            DELETE FROM domain_lease WHERE domain_id IN (
                SELECT domain_id FROM domain_lease WHERE run_id = ANY(:runs) ORDER BY domain_id FOR UPDATE)
            """;

    /** Who holds the domains, for a waiting run's message: "corp.example.com (run …)". */
    static final String HOLDERS = """
            SELECT d.name || ' (run ' || l.run_id || ')' FROM domain_lease l JOIN ad_domain d ON d.id = l.domain_id
             WHERE l.domain_id = ANY(:domains) AND l.lease_until >= now() ORDER BY d.name
            """;

    /**
     * In the claim's transaction: leases the domain of each single-domain run just claimed.
     *
     * @return the runs that now hold their domain's lease
     */
    public static Set<UUID> leaseClaimed(Handle h, List<ClaimedRun> claimed, Duration lease) {
        List<ClaimedRun> single = claimed.stream().filter(r -> !r.syncAllDomains() && r.domainId() != null).toList();
        if (single.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(h.createQuery(LEASE_CLAIMED).bind("lease", RunLedger.seconds(lease))
                .bindArray("runs", UUID.class, single.stream().map(ClaimedRun::runId).toList())
                .bindArray("domains", UUID.class, single.stream().map(ClaimedRun::domainId).toList())
                .mapTo(UUID.class).list());
    }

    /** @return true if every domain's lease was taken; on false the caller must roll back */
    public static boolean acquire(Handle h, UUID runId, List<UUID> domainIds, Duration lease) {
        if (domainIds.isEmpty()) {
            return true;
        }
        int taken = h.createQuery(ACQUIRE).bind("run", runId).bind("lease", RunLedger.seconds(lease))
                .bindArray("domains", UUID.class, domainIds).mapTo(UUID.class).list().size();
        return taken == domainIds.size();
    }

    static void extend(Handle h, UUID runId, Duration lease) {
        h.createUpdate(EXTEND).bind("lease", RunLedger.seconds(lease)).bind("run", runId).execute();
    }

    static void release(Handle h, List<UUID> runIds) {
        h.createUpdate(RELEASE).bindArray("runs", UUID.class, runIds).execute();
    }

    public static String holders(Handle h, List<UUID> domainIds) {
        return String.join(", ", h.createQuery(HOLDERS).bindArray("domains", UUID.class, domainIds).mapTo(String.class).list());
    }

    /** The domains a run touches: its one domain, or every registered domain (sorted by name) for "sync all". */
    public static List<UUID> of(Handle h, ClaimedRun run) {
        if (!run.syncAllDomains()) {
            return run.domainId() == null ? List.of() : List.of(run.domainId());
        }
        return h.createQuery("SELECT id FROM ad_domain ORDER BY name").mapTo(UUID.class).list();
    }
}
