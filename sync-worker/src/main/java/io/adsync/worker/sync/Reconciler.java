package io.adsync.worker.sync;

import io.adsync.directory.DcState;
import io.adsync.domain.Domain;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RunContext;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Step 3 of a domain sync, the reconciliation, only ever after complete reads: the accounts to deactivate (full:
 * the active accounts the complete enumeration did not see; incremental: the active accounts among the tombstones,
 * and among the users that changed, up to the watermark read for this sync, but that the lookup by objectGUID did
 * not return: moved out of the base DN, or no longer matching the user filter), the {@link DeletionGuard}, then in
 * one fenced transaction their deactivation and the watermark's advance. A tripped guard deactivates nothing and
 * leaves the watermark where it was.
 */
final class Reconciler {

    private static final Logger LOG = Logger.getLogger(DomainSync.class);

    private final DataSource ds;

    Reconciler(DataSource ds) {
        this.ds = ds;
    }

    /** Accounts to deactivate, by reason. */
    record Gone(Map<String, GuidSet> byReason) {
        long size() {
            return byReason.values().stream().mapToLong(GuidSet::size).sum();
        }

        /** Incremental: how many were deleted, how many left the scope. */
        DomainReport.Gone counts() {
            return new DomainReport.Gone(byReason.get(DomainSync.REASON_DELETED).size(),
                    byReason.get(DomainSync.REASON_OUT_OF_SCOPE).size());
        }
    }

    /**
     * @param guardTripped why nothing was deactivated; null: the deactivations (and the watermark, if usable) were
     *                     written
     */
    record Reconciled(long notFound, DomainReport.WatermarkRead watermark, String guardTripped) {
    }

    /** Full sync: every active account the complete enumeration did not see. */
    Gone fullGone(Domain domain, GuidSet seen) throws SQLException {
        GuidSet missing = new GuidSet(16);
        Tx.run(ds, c -> {
            AccountSql.forEachActiveGuid(c, domain.id, g -> {
                if (!seen.contains(g)) {
                    missing.add(g);
                }
            });
            return null;
        });
        return new Gone(Map.of(DomainSync.REASON_NOT_FOUND, missing));
    }

    /** Incremental sync: the active accounts among the tombstones and the settled changes that left the scope. */
    Gone incrementalGone(Domain domain, ChangeScan.Changes changes, GuidSet seen) throws SQLException {
        GuidSet deleted = Tx.run(ds, c -> AccountSql.activeAmong(c, domain.id, without(changes.tombstones(), seen)));
        GuidSet left = Tx.run(ds, c -> AccountSql.activeAmong(c, domain.id,
                without(without(changes.settled(), seen), deleted)));
        Map<String, GuidSet> byReason = new LinkedHashMap<>();
        byReason.put(DomainSync.REASON_DELETED, deleted);
        byReason.put(DomainSync.REASON_OUT_OF_SCOPE, left);
        return new Gone(byReason);
    }

    /** The deletion guard, then the deactivations and the watermark's advance in one fenced transaction. */
    Reconciled reconcile(RunContext ctx, Domain domain, SyncPlanner.Baseline base, SyncPlanner.Planned p, Gone gone,
                         SyncCounters n, Instant now) throws SQLException {
        long before = base.activeBefore();
        if (gone.size() > 0 && !base.guard().allows(gone.size(), before)) {
            String msg = gone.size() + " active accounts " + (p.plan().incremental()
                    ? "were deleted or left the sync's scope" : "were not found in the directory")
                    + " and would be deactivated, more than this job allows (" + base.threshold() + " = min(maxDeactivations "
                    + base.guard().maxDeactivations() + ", " + base.guard().maxDeactivationPercent() + "% of " + before
                    + " active accounts)); nothing was deactivated, other changes were applied. Check the domain's base "
                    + "DN and user filter, or run the job with allowMassDeactivation";
            LOG.warnf("domain %s: deletion guard tripped: %s", domain.name, msg);
            return new Reconciled(gone.size(), DomainReport.WatermarkRead.of(p.host(), p.dc(), p.plan(), false), msg);
        }
        DcState dc = p.dc();
        boolean advance = dc.unusable().isEmpty();
        n.add(ctx.write(c -> {
            long changed = 0;
            for (Map.Entry<String, GuidSet> e : gone.byReason().entrySet()) {
                changed += AccountSql.deactivate(c, domain.id, e.getValue(), e.getKey());
            }
            if (advance) {
                WatermarkSql.advance(c, domain.id, p.host(), dc.invocationId(), dc.highestCommittedUsn(),
                        dc.dsServiceName(), ctx.run().runId(), now, p.plan().mode() == SyncMode.FULL);
            }
            return new RunStats(0, 0, changed, 0, 0, 0);
        }, s -> s));
        return new Reconciled(gone.size(), DomainReport.WatermarkRead.of(p.host(), p.dc(), p.plan(), advance), null);
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
}
