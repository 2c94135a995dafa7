package io.adsync.worker.sync;

import io.adsync.run.RunProgress;
import io.adsync.run.RunStats;
import io.adsync.worker.run.RunContext;

/**
 * What the sync of one domain did so far to its accounts, or to its groups (one instance each), and the run's
 * progress over all its domains. Updated on the reader's thread only.
 */
final class SyncCounters {

    /** Progress of the whole run (all its domains so far). */
    static final class RunTotals {
        long entries;
        long pages;
    }

    /** What the committed writes did, as each write counted it into the run's committed stats. */
    private RunStats written = RunStats.EMPTY;
    /** Entries that could not be stored. */
    long errors;
    /** Directory entries read by the searches counted here (for accounts: every search of this domain's sync). */
    long entries;
    long pages;

    void add(RunStats committed) {
        written = written.plus(committed);
    }

    /** After each page of any search: progress (published with the next heartbeat), then a cancellation check. */
    void pageDone(RunContext ctx, RunTotals totals, String domainName, int entriesInPage) {
        pages++;
        totals.pages++;
        totals.entries += entriesInPage;
        ctx.progress(new RunProgress(totals.entries, totals.pages, domainName));
        ctx.checkCancelled();
    }

    /** As account counts. */
    RunStats stats() {
        return written.plus(new RunStats(0, 0, 0, 0, 0, errors));
    }

    /** As group counts. */
    RunStats.Groups groupStats() {
        return RunStats.Groups.NONE.plus(written.groups()).plus(new RunStats.Groups(0, 0, 0, 0, 0, errors, 0, 0));
    }
}
