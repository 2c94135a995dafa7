package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import io.adsync.directory.DcState;
import io.adsync.directory.DirectoryConnection;
import io.adsync.directory.DirectoryConnector;
import io.adsync.directory.DirectoryErrors;
import io.adsync.domain.Domain;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.run.SyncFailure;
import io.adsync.run.SyncMode;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.LeaseLostException;
import io.adsync.worker.run.RunCancelledException;
import io.adsync.worker.run.RunContext;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sync of one domain, full or incremental ({@link SyncPlan}):
 * <ol>
 *   <li>count the domain's active accounts (the deletion guard's base), load its current {@link Watermark} and the
 *       job's full-sync interval;</li>
 *   <li>connect and bind ({@link DirectoryConnector}, with failover), then read the DC's {@link DcState}
 *       (highestCommittedUSN, invocationId) <em>before</em> any search: the watermark this sync will store;</li>
 *   <li>choose the mode;</li>
 *   <li>read users with paged searches under the base DN, for the requested attributes: full, every user matching
 *       the user filter; incremental, first one range scan of the naming context for the users with
 *       {@code uSNChanged >= watermark + 1}, tombstones included ({@link ChangeScan}), then those of them under the
 *       base DN by objectGUID, with the user filter ({@link GuidLookup}). One range scan, not one per question,
 *       because Samba has no ordered index for uSNChanged: each range search is a full scan of the directory (real
 *       AD indexes it; one scan is cheaper there too). Entries are upserted in fenced batches ({@link UserWriter}),
 *       written behind the reads on a writer thread so that reading and writing overlap; after every page of every
 *       search: progress, then a cancellation check;</li>
 *   <li>if the domain syncs groups: its groups and their direct memberships ({@link GroupSync});</li>
 *   <li>find the accounts to deactivate. Full: only if the enumeration completed, the active accounts it did not
 *       see. Incremental: the active accounts among the tombstones, and among the users that changed (up to the
 *       watermark read in step 2) but that the lookup by objectGUID did not return: moved out of the base DN, or no
 *       longer matching the user filter;</li>
 *   <li>check the {@link DeletionGuard} (both modes), then in one fenced transaction deactivate and advance the
 *       watermark. A failed page, a lost connection, a timeout, a cancellation or a tripped guard ends the sync
 *       before this: nothing is deactivated on the strength of a partial read, and the watermark stays where it
 *       was, so the next sync reads the same changes again.</li>
 * </ol>
 */
final class DomainSync {

    static final String REASON_NOT_FOUND =
            "not found in the directory (deleted, moved out of the base DN, or no longer matching the user filter)";
    static final String REASON_DELETED = "deleted in the directory (tombstone)";
    static final String REASON_OUT_OF_SCOPE = "moved out of the base DN, or no longer matching the user filter";
    private static final Logger LOG = Logger.getLogger(DomainSync.class);

    private final DataSource ds;
    private final DirectoryConnector connector;
    private final int batchSize;
    private final Clock clock;
    private final GroupSync groups;

    DomainSync(DataSource ds, DirectoryConnector connector, int batchSize, int memberRangeSize, Clock clock) {
        this.ds = ds;
        this.connector = connector;
        this.batchSize = batchSize;
        this.clock = clock;
        this.groups = new GroupSync(ds, batchSize, memberRangeSize);
    }

    /** Accounts to deactivate, by reason. */
    private record Gone(Map<String, GuidSet> byReason) {
        long size() {
            return byReason.values().stream().mapToLong(GuidSet::size).sum();
        }
    }

    /** What one sync found out along the way, for its outcome. */
    private static final class State {
        final long t0 = System.nanoTime();
        final SyncCounters n = new SyncCounters();
        List<String> invalid = List.of();
        String server;
        Long activeBefore;
        Long threshold;
        Long notFound;
        SyncPlan plan;
        final Map<String, Object> sync = new LinkedHashMap<>();
    }

    /**
     * @throws LeaseLostException when a fenced write found the run's lease gone (nothing more may be written)
     */
    DomainOutcome sync(RunContext ctx, Domain domain, String password, SyncCounters.RunTotals totals) {
        Instant now = clock.instant();
        State st = new State();
        DeletionGuard guard = new DeletionGuard(ctx.run().maxDeactivations(), ctx.run().maxDeactivationPercent(),
                ctx.run().options() != null && ctx.run().options().massDeactivationAllowed());
        // try-with-resources: the writer is closed (its batches in flight waited for) before any catch below reads
        // the counters, and before the sync returns; nothing of this sync is written after it ends
        try (UserWriter users = new UserWriter(ds, ctx, domain, batchSize, now, st.n, totals)) {
            st.invalid = users.invalid();
            long before = Tx.run(ds, c -> AccountSql.countActive(c, domain.id));
            Optional<Watermark> watermark = Tx.run(ds, c -> WatermarkSql.current(c, domain.id));
            Duration fullEvery = Tx.run(ds, c -> WatermarkSql.fullSyncInterval(c, ctx.run().jobId()));
            st.activeBefore = before;
            st.threshold = guard.threshold(before);
            DcState dc;
            String host;
            Gone gone;
            try (DirectoryConnection conn = connector.connect(domain, password)) {
                st.server = conn.url();
                host = conn.host().host().toLowerCase(java.util.Locale.ROOT);
                dc = DcState.read(conn);
                st.plan = SyncPlan.decide(ctx.run().options(), watermark, host, dc, domain.updatedAt, fullEvery, now);
                LOG.infof("domain %s: %s sync of '%s' from %s (%s); %d active accounts, deactivation threshold %d%s",
                        domain.name, st.plan.mode(), domain.baseDn, st.server, st.plan.reason(), before, st.threshold,
                        guard.overridden() ? " (overridden: allowMassDeactivation)" : "");
                if (st.plan.incremental()) {
                    gone = readChanges(ctx, conn, domain, dc, users, st, totals);
                } else {
                    conn.pagedSearch(domain.baseDn, domain.userFilter, domain.pageSize, AdAttributes.REQUESTED, users);
                    users.finish();
                    gone = null;
                }
                if (domain.groupBaseDn != null) {
                    ctx.checkCancelled();
                    st.sync.put("groups", groups.sync(ctx, conn, domain, st.n, totals).toDetails());
                }
            }
            // Every read completed (for a full sync: every page arrived and the last one said so).
            ctx.checkCancelled();
            if (gone == null) {
                gone = fullGone(domain, users.seen());
            }
            st.notFound = gone.size();
            if (gone.size() > 0 && !guard.allows(gone.size(), before)) {
                String msg = gone.size() + " active accounts " + (st.plan.incremental()
                        ? "were deleted or left the sync's scope" : "were not found in the directory")
                        + " and would be deactivated, more than this job allows (" + st.threshold + " = min(maxDeactivations "
                        + guard.maxDeactivations() + ", " + guard.maxDeactivationPercent() + "% of " + before
                        + " active accounts)); nothing was deactivated, other changes were applied. Check the domain's base "
                        + "DN and user filter, or run the job with allowMassDeactivation";
                LOG.warnf("domain %s: deletion guard tripped: %s", domain.name, msg);
                st.sync.put("watermark", watermarkDetails(host, dc, st.plan, false));
                return outcome(domain, "FAILED", ErrorCategory.DELETION_THRESHOLD, msg, st);
            }
            boolean advance = dc.unusable().isEmpty();
            Gone toDeactivate = gone;
            st.n.deactivated += ctx.write(c -> {
                long changed = 0;
                for (Map.Entry<String, GuidSet> e : toDeactivate.byReason().entrySet()) {
                    changed += AccountSql.deactivate(c, domain.id, e.getValue(), e.getKey());
                }
                if (advance) {
                    WatermarkSql.advance(c, domain.id, host, dc.invocationId(), dc.highestCommittedUsn(),
                            dc.dsServiceName(), ctx.run().runId(), now, st.plan.mode() == SyncMode.FULL);
                }
                return changed;
            }, d -> new RunStats(0, 0, d, 0, 0, 0));
            st.sync.put("watermark", watermarkDetails(host, dc, st.plan, advance));
            DomainOutcome ok = outcome(domain, "SUCCEEDED", null, null, st);
            LOG.infof("domain %s: %s sync from %s in %d ms: %d entries in %d pages; %s", domain.name, st.plan.mode(),
                    st.server, ok.durationMs(), st.n.entries, st.n.pages, ok.stats());
            return ok;
        } catch (LeaseLostException e) {
            throw e;
        } catch (RunCancelledException e) {
            LOG.infof("domain %s: cancelled (%s); nothing deactivated", domain.name, e.getMessage());
            st.notFound = null;
            return outcome(domain, "CANCELLED", ErrorCategory.CANCELLED, ctx.isCancelled() ? ctx.cancelReason() : e.getMessage(), st);
        } catch (SyncFailure f) {
            String msg = DirectoryErrors.redact(f.getMessage(), password);
            LOG.warnf("domain %s: %s %s; nothing deactivated", domain.name, f.category(), msg);
            return failed(domain, f.category(), msg, st);
        } catch (SQLException e) {
            String msg = DirectoryErrors.redact("database error: " + e.getMessage(), password);
            LOG.warnf("domain %s: %s; nothing deactivated", domain.name, msg);
            return failed(domain, ErrorCategory.DB, msg, st);
        } catch (Exception e) {
            DirectoryErrors.Classified c = DirectoryErrors.classify(e, "unexpected error", password);
            LOG.errorf("domain %s: %s", domain.name, c.message());
            LOG.debug("stack trace", e);
            return failed(domain, c.category(), c.message(), st);
        }
    }

    /** Full sync: every active account the complete enumeration did not see. */
    private Gone fullGone(Domain domain, GuidSet seen) throws SQLException {
        GuidSet missing = new GuidSet(16);
        Tx.run(ds, c -> {
            AccountSql.forEachActiveGuid(c, domain.id, g -> {
                if (!seen.contains(g)) {
                    missing.add(g);
                }
            });
            return null;
        });
        return new Gone(Map.of(REASON_NOT_FOUND, missing));
    }

    /**
     * Incremental sync, the reads: the one range scan ({@link ChangeScan}), then, through the scoped search by
     * objectGUID ({@link GuidLookup}) into {@code users}, the changed users under the base DN and the active
     * accounts among those that changed elsewhere in the naming context (so an account is only found out of scope
     * when the scoped search itself did not return it, never on a DN comparison alone). The settled changes that the
     * lookups did not return left the scope.
     */
    private Gone readChanges(RunContext ctx, DirectoryConnection conn, Domain domain, DcState dc, UserWriter users,
                             State st, SyncCounters.RunTotals totals) throws Exception {
        ChangeScan.Changes changes = new ChangeScan(conn, dc.namingContextOf(domain.baseDn), domain.pageSize, ctx, st.n,
                totals, domain.name).scan(domain.baseDn, st.plan.fromUsn(), dc.highestCommittedUsn());
        GuidSet lookup = changes.underBase(); // + the active accounts among those elsewhere
        if (changes.elsewhere().size() > 0) {
            GuidSet elsewhereActive = Tx.run(ds, c -> AccountSql.activeAmong(c, domain.id, changes.elsewhere()));
            for (int i = 0; i < elsewhereActive.size(); i++) {
                lookup.add(elsewhereActive.get(i));
            }
        }
        long beforeLookup = st.n.entries;
        GuidLookup.read(conn, domain.baseDn, domain.userFilter, domain.pageSize, lookup, users);
        users.finish();
        Map<String, Object> reads = new LinkedHashMap<>();
        reads.put("changes", changes.entries());
        reads.put("tombstones", changes.tombstoneEntries());
        reads.put("inScope", st.n.entries - beforeLookup);
        st.sync.put("reads", reads);
        return incrementalGone(domain, changes.settled(), changes.tombstones(), users.seen(), st);
    }

    /** Incremental sync: the active accounts among the tombstones and the users that left the scope. */
    private Gone incrementalGone(Domain domain, GuidSet left, GuidSet deleted, GuidSet seen, State st) throws SQLException {
        GuidSet deletedActive = Tx.run(ds, c -> AccountSql.activeAmong(c, domain.id, without(deleted, seen)));
        GuidSet leftActive = Tx.run(ds, c -> AccountSql.activeAmong(c, domain.id, without(without(left, seen), deletedActive)));
        st.sync.put("deleted", (long) deletedActive.size());
        st.sync.put("outOfScope", (long) leftActive.size());
        Map<String, GuidSet> byReason = new LinkedHashMap<>();
        byReason.put(REASON_DELETED, deletedActive);
        byReason.put(REASON_OUT_OF_SCOPE, leftActive);
        return new Gone(byReason);
    }

    private static GuidSet without(GuidSet from, GuidSet remove) {
        GuidSet out = new GuidSet(Math.max(16, from.size()));
        for (int i = 0; i < from.size(); i++) {
            if (!remove.contains(from.get(i))) {
                out.add(from.get(i));
            }
        }
        return out;
    }

    private static Map<String, Object> watermarkDetails(String host, DcState dc, SyncPlan plan, boolean advanced) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("dc", host);
        if (dc.unusable().isPresent()) {
            w.put("available", false);
            return w;
        }
        w.put("invocationId", dc.invocationId().toString());
        if (plan.incremental()) {
            w.put("fromUsn", plan.fromUsn());
        }
        w.put("highestCommittedUsn", dc.highestCommittedUsn());
        w.put("advanced", advanced);
        return w;
    }

    private static DomainOutcome failed(Domain domain, ErrorCategory category, String message, State st) {
        st.notFound = null;
        return outcome(domain, "FAILED", category, message, st);
    }

    private static DomainOutcome outcome(Domain d, String state, ErrorCategory category, String message, State st) {
        return new DomainOutcome(d.id, d.name, state, category, message, st.n.stats(), st.n.entries, st.n.pages, st.server,
                st.activeBefore, st.notFound, st.threshold, (System.nanoTime() - st.t0) / 1_000_000, List.copyOf(st.invalid),
                st.plan == null ? null : st.plan.mode(), st.plan == null ? null : st.plan.reason(),
                Collections.unmodifiableMap(new LinkedHashMap<>(st.sync)));
    }
}
