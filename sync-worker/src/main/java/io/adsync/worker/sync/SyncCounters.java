package io.adsync.worker.sync;

import io.adsync.run.RunProgress;
import io.adsync.run.RunStats;
import io.adsync.worker.run.RunContext;

/** What the sync of one domain did so far, and the run's progress over all its domains. */
final class SyncCounters {

    /** Progress of the whole run (all its domains so far). */
    static final class RunTotals {
        long entries;
        long pages;
    }

    long created;
    long updated;
    long reactivated;
    long deactivated;
    long unchanged;
    long errors;
    /** Directory entries read by every search of this domain's sync. */
    long entries;
    long pages;

    void add(AccountSql.BatchCounts b) {
        created += b.created();
        updated += b.updated();
        reactivated += b.reactivated();
        deactivated += b.deactivated();
        unchanged += b.unchanged();
    }

    /** After each page of any search: progress (published with the next heartbeat), then a cancellation check. */
    void pageDone(RunContext ctx, RunTotals totals, String domainName, int entriesInPage) {
        pages++;
        totals.pages++;
        totals.entries += entriesInPage;
        ctx.progress(new RunProgress(totals.entries, totals.pages, domainName));
        ctx.checkCancelled();
    }

    RunStats stats() {
        return new RunStats(created, updated, deactivated, reactivated, unchanged, errors);
    }
}
