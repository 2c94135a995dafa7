package io.adsync.worker.sync;

import io.adsync.directory.DirectoryConnection;
import io.adsync.directory.RangedValues;
import io.adsync.domain.Domain;
import io.adsync.run.RunProgress;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RunContext;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The groups of a domain that opted in ({@code group_base_dn} set), synced after its users, in every run and in
 * full (every group under the group base DN matching the group filter):
 * <ol>
 *   <li>a paged search for the groups (without their members): upserted by objectGUID in fenced batches, so a
 *       renamed or moved group keeps its row;</li>
 *   <li>only if that enumeration completed: the active groups it did not see are deactivated, and every
 *       membership they had (as a group and as a member) ends;</li>
 *   <li>each group's {@code member} values are read with range retrieval ({@link RangedValues}: complete
 *       however large the group), resolved by DN to the domain's accounts and groups, and made the group's direct
 *       memberships (one fenced transaction per group, writing only the differences). Members that are not synced
 *       objects (users outside the user scope, foreign principals) are not stored.</li>
 * </ol>
 */
final class GroupSync {

    static final String REASON_NOT_FOUND =
            "not found in the directory (deleted, moved out of the group base DN, or no longer matching the group filter)";

    private final DataSource ds;
    private final int batchSize;
    private final int memberRangeSize;

    GroupSync(DataSource ds, int batchSize, int memberRangeSize) {
        this.ds = ds;
        this.batchSize = batchSize;
        this.memberRangeSize = memberRangeSize;
    }

    /**
     * Writes go through {@link RunContext#write} like the users' (fenced, and counted in the run's committed stats as
     * {@code groups}); {@code g} counts them for this domain, {@code n} (the domain's) counts entries and pages too.
     *
     * @return the group sync's details, once it completed
     */
    DomainReport.Groups sync(RunContext ctx, DirectoryConnection conn, Domain domain, SyncCounters n, SyncCounters g,
                             SyncCounters.RunTotals totals) throws Exception {
        GuidSet seen;
        try (EntryWriter<AdGroupEntry> writer = EntryWriter.groups(ds, ctx, domain, batchSize, n, g, totals)) {
            conn.pagedSearch(domain.groupBaseDn, domain.groupFilter, domain.pageSize, AdGroupEntry.REQUESTED, writer);
            writer.finish();
            seen = writer.seen();
        }
        // The enumeration is complete.
        ctx.checkCancelled();
        List<GroupSql.GroupRow> active = Tx.run(ds, c -> GroupSql.active(c, domain.id));
        List<UUID> gone = new ArrayList<>();
        List<GroupSql.GroupRow> present = new ArrayList<>();
        for (GroupSql.GroupRow row : active) {
            if (seen.contains(row.objectGuid())) {
                present.add(row);
            } else {
                gone.add(row.id());
            }
        }
        if (!gone.isEmpty()) {
            g.add(ctx.write(c -> GroupSql.deactivate(c, domain.id, gone, REASON_NOT_FOUND), s -> s));
        }
        for (GroupSql.GroupRow row : present) {
            RangedValues.Result members = RangedValues.read(conn, row.distinguishedName(), AdGroupEntry.MEMBER, memberRangeSize);
            n.entries += members.reads();
            g.entries += members.reads();
            totals.entries += members.reads();
            ctx.progress(new RunProgress(totals.entries, totals.pages, domain.name));
            if (members.values() == null) {
                continue; // gone since the enumeration: the next sync deactivates it
            }
            g.add(ctx.write(c -> {
                List<UUID> accounts = GroupSql.idsByDn(c, domain.id, members.values(), false);
                List<UUID> groups = GroupSql.idsByDn(c, domain.id, members.values(), true);
                return GroupSql.replace(c, row.id(), accounts, false).plus(GroupSql.replace(c, row.id(), groups, true));
            }, s -> s));
            ctx.checkCancelled();
        }
        return new DomainReport.Groups(g.groupStats(), g.entries);
    }
}
