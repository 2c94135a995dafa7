package io.adsync.worker.sync;

import io.adsync.directory.DcState;
import io.adsync.directory.DirectoryConnection;
import io.adsync.domain.Domain;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RunContext;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Step 1 of a domain sync, the plan: before connecting, the domain's active accounts (the deletion guard's base),
 * its current {@link Watermark} and the job's full-sync interval; once connected, the DC's {@link DcState}
 * (highestCommittedUSN, invocationId), read <em>before</em> any search: the watermark this sync will store; then
 * the mode ({@link SyncPlan}).
 */
final class SyncPlanner {

    private static final Logger LOG = Logger.getLogger(DomainSync.class);

    private final DataSource ds;

    SyncPlanner(DataSource ds) {
        this.ds = ds;
    }

    /** What the database says before the sync. */
    record Baseline(long activeBefore, DeletionGuard guard, Optional<Watermark> watermark, Duration fullSyncInterval) {
        long threshold() {
            return guard.threshold(activeBefore);
        }
    }

    /** @param host the entry of the domain's hosts that answered, lower case */
    record Planned(String host, DcState dc, SyncPlan plan) {
    }

    Baseline baseline(RunContext ctx, Domain domain) throws SQLException {
        DeletionGuard guard = new DeletionGuard(ctx.run().maxDeactivations(), ctx.run().maxDeactivationPercent(),
                ctx.run().options() != null && ctx.run().options().massDeactivationAllowed());
        long before = Tx.run(ds, c -> AccountSql.countActive(c, domain.id));
        Optional<Watermark> watermark = Tx.run(ds, c -> WatermarkSql.current(c, domain.id));
        Duration fullEvery = Tx.run(ds, c -> WatermarkSql.fullSyncInterval(c, ctx.run().jobId()));
        return new Baseline(before, guard, watermark, fullEvery);
    }

    Planned plan(RunContext ctx, DirectoryConnection conn, Domain domain, Baseline base, Instant now) throws Exception {
        String host = conn.host().host().toLowerCase(Locale.ROOT);
        DcState dc = DcState.read(conn);
        SyncPlan plan = SyncPlan.decide(ctx.run().options(), base.watermark(), host, dc, domain.updatedAt,
                domain.attributeMappingsChangedAt, base.fullSyncInterval(), now);
        LOG.infof("domain %s: %s sync of '%s' from %s (%s); %d active accounts, deactivation threshold %d%s",
                domain.name, plan.mode(), domain.baseDn, conn.url(), plan.reason(), base.activeBefore(), base.threshold(),
                base.guard().overridden() ? " (overridden: allowMassDeactivation)" : "");
        return new Planned(host, dc, plan);
    }
}
