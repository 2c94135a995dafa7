package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import io.adsync.directory.DirectoryConnection;
import io.adsync.directory.DirectoryConnector;
import io.adsync.directory.DirectoryErrors;
import io.adsync.domain.Domain;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunProgress;
import io.adsync.run.RunStats;
import io.adsync.run.SyncFailure;
import io.adsync.worker.claim.Tx;
import io.adsync.worker.run.LeaseLostException;
import io.adsync.worker.run.RunCancelledException;
import io.adsync.worker.run.RunContext;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A full sync of one domain:
 * <ol>
 *   <li>count the domain's active accounts (the deletion guard's base);</li>
 *   <li>connect and bind ({@link DirectoryConnector}, with failover);</li>
 *   <li>read every user with a paged search; entries are mapped ({@link AdUser}) and upserted in batches of at
 *       most {@code batchSize} (a batch never spans pages), each batch in its own fenced transaction; after every
 *       page: progress, then a cancellation check. At most one page (buffered by the LDAP library) plus one batch
 *       of entries are held, plus the compact {@link GuidSet} of objectGUIDs seen (16 bytes per user);</li>
 *   <li>only if the enumeration completed (every page arrived, the last with an empty cookie): find the active
 *       accounts that were not seen, check the {@link DeletionGuard}, and deactivate them in one fenced
 *       transaction. A failed page, a lost connection, a timeout or a cancellation ends the sync before this
 *       step: accounts are then never deactivated on the strength of a partial read.</li>
 * </ol>
 */
final class DomainSync {

    static final String REASON_NOT_FOUND =
            "not found in the directory (deleted, moved out of the base DN, or no longer matching the user filter)";
    private static final Logger LOG = Logger.getLogger(DomainSync.class);
    private static final int MAX_INVALID_SAMPLES = 10;

    private final DataSource ds;
    private final DirectoryConnector connector;
    private final int batchSize;
    private final Clock clock;

    DomainSync(DataSource ds, DirectoryConnector connector, int batchSize, Clock clock) {
        this.ds = ds;
        this.connector = connector;
        this.batchSize = batchSize;
        this.clock = clock;
    }

    /** Progress of the whole run (all its domains so far). */
    static final class RunTotals {
        long entries;
        long pages;
    }

    private static final class Counters {
        long created;
        long updated;
        long reactivated;
        long deactivated;
        long unchanged;
        long errors;
        long entries;
        long pages;

        void add(AccountSql.BatchCounts b) {
            created += b.created();
            updated += b.updated();
            reactivated += b.reactivated();
            deactivated += b.deactivated();
            unchanged += b.unchanged();
        }

        RunStats stats() {
            return new RunStats(created, updated, deactivated, reactivated, unchanged, errors);
        }
    }

    /**
     * @throws LeaseLostException when a fenced write found the run's lease gone (nothing more may be written)
     */
    DomainOutcome sync(RunContext ctx, Domain domain, String password, RunTotals totals) {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        Counters n = new Counters();
        List<String> invalid = new ArrayList<>();
        String server = null;
        Long activeBefore = null;
        Long threshold = null;
        Long notFound = null;
        DeletionGuard guard = new DeletionGuard(ctx.run().maxDeactivations(), ctx.run().maxDeactivationPercent(),
                ctx.run().options() != null && ctx.run().options().massDeactivationAllowed());
        try {
            long before = Tx.run(ds, c -> AccountSql.countActive(c, domain.id));
            activeBefore = before;
            threshold = guard.threshold(before);
            LOG.infof("domain %s: full sync of '%s' (filter %s, page size %d); %d active accounts, deactivation threshold %d%s",
                    domain.name, domain.baseDn, domain.userFilter, domain.pageSize, before, threshold,
                    guard.overridden() ? " (overridden: allowMassDeactivation)" : "");

            GuidSet seen = new GuidSet();
            Map<UUID, AdUser> batch = new LinkedHashMap<>();
            try (DirectoryConnection conn = connector.connect(domain, password)) {
                server = conn.url();
                conn.pagedSearch(domain.baseDn, domain.userFilter, domain.pageSize, AdAttributes.REQUESTED,
                        new DirectoryConnection.PageSink() {
                            @Override
                            public void entry(Entry e) throws SQLException {
                                n.entries++;
                                try {
                                    AdUser u = AdUser.from(e, now);
                                    seen.add(u.objectGuid());
                                    batch.put(u.objectGuid(), u); // the same GUID twice in a batch: keep the last
                                    if (batch.size() >= batchSize) {
                                        flush(ctx, domain, batch, n);
                                    }
                                } catch (AdUser.InvalidEntry bad) {
                                    n.errors++;
                                    if (bad.objectGuid() != null) {
                                        seen.add(bad.objectGuid()); // known account, unreadable now: do not deactivate it
                                    }
                                    if (invalid.size() < MAX_INVALID_SAMPLES) {
                                        invalid.add(bad.getMessage());
                                    }
                                }
                            }

                            @Override
                            public void pageDone(int page, int entriesInPage) throws SQLException {
                                flush(ctx, domain, batch, n);
                                n.pages++;
                                totals.pages++;
                                totals.entries += entriesInPage;
                                ctx.progress(new RunProgress(totals.entries, totals.pages, domain.name));
                                ctx.checkCancelled();
                            }
                        });
            }
            // The enumeration is complete: every page arrived and the last one said so.
            ctx.checkCancelled();
            GuidSet missing = new GuidSet(16);
            Tx.run(ds, c -> {
                AccountSql.forEachActiveGuid(c, domain.id, g -> {
                    if (!seen.contains(g)) {
                        missing.add(g);
                    }
                });
                return null;
            });
            notFound = (long) missing.size();
            if (missing.size() > 0) {
                if (!guard.allows(missing.size(), before)) {
                    String msg = missing.size() + " active accounts were not found in the directory and would be deactivated, "
                            + "more than this job allows (" + threshold + " = min(maxDeactivations " + guard.maxDeactivations()
                            + ", " + guard.maxDeactivationPercent() + "% of " + before + " active accounts)); nothing was "
                            + "deactivated, other changes were applied. Check the domain's base DN and user filter, or "
                            + "run the job with allowMassDeactivation";
                    LOG.warnf("domain %s: deletion guard tripped: %s", domain.name, msg);
                    return outcome(domain, "FAILED", ErrorCategory.DELETION_THRESHOLD, msg, n, server, activeBefore,
                            notFound, threshold, t0, invalid);
                }
                long deactivated = ctx.write(ds, c -> AccountSql.deactivate(c, domain.id, missing, REASON_NOT_FOUND),
                        d -> new RunStats(0, 0, d, 0, 0, 0));
                n.deactivated += deactivated;
            }
            DomainOutcome ok = outcome(domain, "SUCCEEDED", null, null, n, server, activeBefore, notFound, threshold, t0, invalid);
            LOG.infof("domain %s: synced from %s in %d ms: %d entries in %d pages; %s", domain.name, server, ok.durationMs(),
                    n.entries, n.pages, ok.stats());
            return ok;
        } catch (LeaseLostException e) {
            throw e;
        } catch (RunCancelledException e) {
            LOG.infof("domain %s: cancelled (%s); nothing deactivated", domain.name, e.getMessage());
            return outcome(domain, "CANCELLED", ErrorCategory.CANCELLED, ctx.isCancelled() ? ctx.cancelReason() : e.getMessage(),
                    n, server, activeBefore, null, threshold, t0, invalid);
        } catch (SyncFailure f) {
            String msg = DirectoryErrors.redact(f.getMessage(), password);
            LOG.warnf("domain %s: %s %s; nothing deactivated", domain.name, f.category(), msg);
            return outcome(domain, "FAILED", f.category(), msg, n, server, activeBefore, null, threshold, t0, invalid);
        } catch (SQLException e) {
            String msg = DirectoryErrors.redact("database error: " + e.getMessage(), password);
            LOG.warnf("domain %s: %s; nothing deactivated", domain.name, msg);
            return outcome(domain, "FAILED", ErrorCategory.DB, msg, n, server, activeBefore, null, threshold, t0, invalid);
        } catch (Exception e) {
            DirectoryErrors.Classified c = DirectoryErrors.classify(e, "unexpected error", password);
            LOG.errorf("domain %s: %s", domain.name, c.message());
            LOG.debug("stack trace", e);
            return outcome(domain, "FAILED", c.category(), c.message(), n, server, activeBefore, null, threshold, t0, invalid);
        }
    }

    private void flush(RunContext ctx, Domain domain, Map<UUID, AdUser> batch, Counters n) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        AccountSql.BatchCounts counts = ctx.write(ds, c -> AccountSql.upsert(c, domain.id, batch.values()),
                b -> new RunStats(b.created(), b.updated(), b.deactivated(), b.reactivated(), b.unchanged(), 0));
        n.add(counts);
        batch.clear();
    }

    private static DomainOutcome outcome(Domain d, String state, ErrorCategory category, String message, Counters n,
                                         String server, Long activeBefore, Long notFound, Long threshold, long t0,
                                         List<String> invalid) {
        return new DomainOutcome(d.id, d.name, state, category, message, n.stats(), n.entries, n.pages, server,
                activeBefore, notFound, threshold, (System.nanoTime() - t0) / 1_000_000, List.copyOf(invalid));
    }
}
