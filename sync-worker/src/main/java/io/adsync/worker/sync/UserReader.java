package io.adsync.worker.sync;

import io.adsync.directory.DirectoryConnection;
import io.adsync.domain.Domain;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RunContext;

import javax.sql.DataSource;

/**
 * Step 2 of a domain sync, the reads, into the {@link EntryWriter} (which upserts behind them); a read is complete
 * only when it returns, the writer drained:
 * <ul>
 *   <li>full: one paged search under the base DN for every user matching the user filter;</li>
 *   <li>incremental: one range scan of the naming context for the users with {@code uSNChanged >= watermark + 1},
 *       tombstones included ({@link ChangeScan}), then those of them under the base DN by objectGUID, with the user
 *       filter ({@link GuidLookup}), plus the active accounts among those that changed elsewhere in the naming
 *       context (so an account is only found out of scope when the scoped search itself did not return it, never
 *       on a DN comparison alone).</li>
 * </ul>
 */
final class UserReader {

    private final DataSource ds;

    UserReader(DataSource ds) {
        this.ds = ds;
    }

    /** What the reads of an incremental sync found: the range scan, and the entries read. */
    record Changes(ChangeScan.Changes scan, DomainReport.Reads reads) {
    }

    void full(DirectoryConnection conn, Domain domain, MappedAttributes mapped, EntryWriter<AdUser> users) throws Exception {
        conn.pagedSearch(domain.baseDn, domain.userFilter, domain.pageSize, mapped.requested(), users);
        users.finish();
    }

    Changes incremental(RunContext ctx, DirectoryConnection conn, Domain domain, SyncPlanner.Planned p,
                        MappedAttributes mapped, EntryWriter<AdUser> users,
                        SyncCounters n, SyncCounters.RunTotals totals) throws Exception {
        ChangeScan.Changes changes = ChangeScan.scan(conn, p.dc().namingContextOf(domain.baseDn), domain.pageSize,
                domain.baseDn, p.plan().fromUsn(), p.dc().highestCommittedUsn(), n, k -> n.pageDone(ctx, totals, domain.name, k));
        GuidSet lookup = changes.underBase(); // + the active accounts among those elsewhere
        if (changes.elsewhere().size() > 0) {
            GuidSet elsewhereActive = Tx.run(ds, c -> AccountSql.activeAmong(c, domain.id, changes.elsewhere()));
            for (int i = 0; i < elsewhereActive.size(); i++) {
                lookup.add(elsewhereActive.get(i));
            }
        }
        long beforeLookup = n.entries;
        GuidLookup.read(conn, domain.baseDn, domain.userFilter, domain.pageSize, mapped.requested(), lookup, users);
        users.finish();
        return new Changes(changes, new DomainReport.Reads(changes.entries(), changes.tombstoneEntries(),
                n.entries - beforeLookup));
    }
}
