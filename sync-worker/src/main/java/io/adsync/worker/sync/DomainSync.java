package io.adsync.worker.sync;

import io.adsync.directory.DirectoryConnection;
import io.adsync.directory.DirectoryConnector;
import io.adsync.domain.AttributeMapping;
import io.adsync.domain.Domain;
import io.adsync.run.RunStats;
import io.adsync.worker.run.LeaseLostException;
import io.adsync.worker.run.RunContext;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;

/**
 * The sync of one domain, full or incremental ({@link SyncPlan}), as a pipeline: plan ({@link SyncPlanner}), read
 * the users ({@link UserReader}, upserted in fenced batches behind the reads by the {@link EntryWriter}) and, if the
 * domain syncs groups, its groups and their direct memberships ({@link GroupSync}), reconcile ({@link Reconciler}),
 * report ({@link DomainReporter}). After every page of every search: progress, then a cancellation check.
 * <p>
 * A failed page, a lost connection, a timeout, a cancellation or a tripped guard ends the sync before anything is
 * deactivated: nothing is deactivated on the strength of a partial read, and the watermark only moves with a
 * completed sync, so the next sync reads the same changes again. A lost lease is thrown: nothing more is written.
 */
final class DomainSync {

    static final String REASON_NOT_FOUND =
            "not found in the directory (deleted, moved out of the base DN, or no longer matching the user filter)";
    static final String REASON_DELETED = "deleted in the directory (tombstone)";
    static final String REASON_OUT_OF_SCOPE = "moved out of the base DN, or no longer matching the user filter";

    private final DataSource ds;
    private final DirectoryConnector connector;
    private final int batchSize;
    private final Clock clock;
    private final SyncPlanner planner;
    private final UserReader reader;
    private final GroupSync groups;
    private final Reconciler reconciler;
    private final int memberRangeSize;
    private final int maxBinaryBytes;

    DomainSync(DataSource ds, DirectoryConnector connector, int batchSize, int memberRangeSize, int maxBinaryBytes,
               Clock clock) {
        this.ds = ds;
        this.memberRangeSize = memberRangeSize;
        this.maxBinaryBytes = maxBinaryBytes;
        this.connector = connector;
        this.batchSize = batchSize;
        this.clock = clock;
        this.planner = new SyncPlanner(ds);
        this.reader = new UserReader(ds);
        this.groups = new GroupSync(ds, batchSize, memberRangeSize);
        this.reconciler = new Reconciler(ds);
    }

    /**
     * @throws LeaseLostException when a fenced write found the run's lease gone (nothing more may be written)
     */
    DomainReport sync(RunContext ctx, Domain domain, String password, SyncCounters.RunTotals totals) {
        Instant now = clock.instant();
        DomainReporter report = new DomainReporter(domain, password);
        Reconciler.Reconciled done;
        // try-with-resources: the writer is closed (its batches in flight waited for) before the report reads the
        // counters, however the sync ends; nothing of this sync is written after it ends
        MappedAttributes mapped = new MappedAttributes(domain.mappings(), maxBinaryBytes, memberRangeSize, report.warnings);
        try (EntryWriter<AdUser> users = EntryWriter.users(ds, ctx, domain, batchSize, now, mapped, report.users, totals)) {
            report.invalid = users.invalid();
            SyncPlanner.Baseline base = report.base = planner.baseline(ctx, domain);
            SyncPlanner.Planned planned;
            Reconciler.Gone gone = null;
            try (DirectoryConnection conn = connector.connect(domain, password)) {
                report.server = conn.url();
                mapped.connection(conn);
                planned = planner.plan(ctx, conn, domain, base, now);
                report.plan = planned.plan();
                if (planned.plan().incremental()) {
                    UserReader.Changes changes = reader.incremental(ctx, conn, domain, planned, mapped, users, report.users, totals);
                    report.reads = changes.reads();
                    gone = reconciler.incrementalGone(domain, changes.scan(), users.seen());
                    report.gone = gone.counts();
                } else {
                    reader.full(conn, domain, mapped, users);
                }
                if (AttributeMapping.managerOf(domain.mappings()) != null) {
                    // every user of this sync is written: link those whose manager's account is known now
                    report.managers = ctx.write(c -> AccountSql.linkManagers(c, domain.id), l -> RunStats.EMPTY);
                }
                if (domain.groupBaseDn != null) {
                    ctx.checkCancelled();
                    report.groups = new SyncCounters();
                    report.groupsDone = groups.sync(ctx, conn, domain, report.users, report.groups, totals);
                }
            }
            ctx.checkCancelled(); // every read completed (for a full sync: every page arrived and the last one said so)
            if (gone == null) {
                gone = reconciler.fullGone(domain, users.seen());
            }
            done = reconciler.reconcile(ctx, domain, base, planned, gone, report.users, now);
        } catch (LeaseLostException e) {
            throw e;
        } catch (Exception e) {
            return report.failed(e, ctx);
        }
        return report.ended(done);
    }
}
