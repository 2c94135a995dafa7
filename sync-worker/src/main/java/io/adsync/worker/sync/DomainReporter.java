package io.adsync.worker.sync;

import io.adsync.directory.DirectoryErrors;
import io.adsync.domain.Domain;
import io.adsync.run.ErrorCategory;
import io.adsync.run.SyncFailure;
import io.adsync.worker.run.RunCancelledException;
import io.adsync.worker.run.RunContext;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.List;

/**
 * Step 4 of a domain sync, the report: what each step found out, kept as it happens, and how the sync ended, as its
 * {@link DomainReport}. Read only after the sync's writer is closed, so every batch it wrote is counted.
 */
final class DomainReporter {

    private static final Logger LOG = Logger.getLogger(DomainSync.class);

    private final Domain domain;
    private final String password;
    private final long t0 = System.nanoTime();
    /** The domain's accounts, and every entry and page its searches read. */
    final SyncCounters users = new SyncCounters();
    /** Its groups, once their sync started. */
    SyncCounters groups;
    List<String> invalid = List.of();
    SyncPlanner.Baseline base;
    String server;
    SyncPlan plan;
    DomainReport.Reads reads;
    DomainReport.Gone gone;
    DomainReport.Groups groupsDone;
    final SyncWarnings warnings = new SyncWarnings();
    AccountSql.ManagerLinks managers;

    DomainReporter(Domain domain, String password) {
        this.domain = domain;
        this.password = password;
    }

    /** Reconciled: SUCCEEDED, or FAILED by the deletion guard. */
    DomainReport ended(Reconciler.Reconciled r) {
        if (r.guardTripped() != null) {
            return report("FAILED", ErrorCategory.DELETION_THRESHOLD, r.guardTripped(), r.notFound(), r.watermark());
        }
        DomainReport ok = report("SUCCEEDED", null, null, r.notFound(), r.watermark());
        LOG.infof("domain %s: %s sync from %s in %d ms: %d entries in %d pages; %s", domain.name, plan.mode(), server,
                ok.durationMs(), users.entries, users.pages, ok.stats());
        return ok;
    }

    /** Cancelled or failed (never a lost lease: that is thrown); nothing was deactivated. */
    DomainReport failed(Exception e, RunContext ctx) {
        if (e instanceof RunCancelledException) {
            LOG.infof("domain %s: cancelled (%s); nothing deactivated", domain.name, e.getMessage());
            return report("CANCELLED", ErrorCategory.CANCELLED, ctx.isCancelled() ? ctx.cancelReason() : e.getMessage(),
                    null, null);
        }
        if (e instanceof SyncFailure f) {
            String msg = DirectoryErrors.redact(f.getMessage(), password);
            LOG.warnf("domain %s: %s %s; nothing deactivated", domain.name, f.category(), msg);
            return report("FAILED", f.category(), msg, null, null);
        }
        if (e instanceof SQLException) {
            String msg = DirectoryErrors.redact("database error: " + e.getMessage(), password);
            LOG.warnf("domain %s: %s; nothing deactivated", domain.name, msg);
            return report("FAILED", ErrorCategory.DB, msg, null, null);
        }
        DirectoryErrors.Classified c = DirectoryErrors.classify(e, "unexpected error", password);
        LOG.errorf("domain %s: %s", domain.name, c.message());
        LOG.debug("stack trace", e);
        return report("FAILED", c.category(), c.message(), null, null);
    }

    private DomainReport report(String state, ErrorCategory category, String message, Long notFound,
                                DomainReport.WatermarkRead watermark) {
        return new DomainReport(domain.id, domain.name, state, category, message,
                users.stats().withGroups(groups == null ? null : groups.groupStats()), users.entries, users.pages, server,
                base == null ? null : base.activeBefore(), notFound, base == null ? null : base.threshold(),
                (System.nanoTime() - t0) / 1_000_000, List.copyOf(invalid), plan == null ? null : plan.mode(),
                plan == null ? null : plan.reason(), reads, gone, groupsDone, watermark,
                managers == null || managers.linked() + managers.refreshed() == 0 ? null
                        : new DomainReport.ManagerLinks(managers.linked(), managers.refreshed()),
                warnings.samples(), warnings.total() == 0 ? null : warnings.total());
    }
}
