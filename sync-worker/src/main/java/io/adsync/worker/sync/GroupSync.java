package io.adsync.worker.sync;

import io.adsync.directory.DirectoryConnection;
import io.adsync.directory.RangedValues;
import io.adsync.domain.Domain;
import io.adsync.run.RunProgress;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RunContext;
import org.apache.directory.api.ldap.model.entry.Entry;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** What a group sync did, for the run's details. */
    static final class Counts {
        long created;
        long updated;
        long reactivated;
        long deactivated;
        long unchanged;
        long errors;
        long entries;
        GroupSql.Changes memberships = new GroupSql.Changes(0, 0);

        Map<String, Object> toDetails() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("created", created);
            m.put("updated", updated);
            m.put("reactivated", reactivated);
            m.put("deactivated", deactivated);
            m.put("unchanged", unchanged);
            m.put("errors", errors);
            m.put("entriesRead", entries);
            m.put("membershipsAdded", memberships.added());
            m.put("membershipsRemoved", memberships.removed());
            return m;
        }
    }

    Counts sync(RunContext ctx, DirectoryConnection conn, Domain domain, SyncCounters n, SyncCounters.RunTotals totals)
            throws Exception {
        Counts g = new Counts();
        GuidSet seen = new GuidSet(16);
        Map<UUID, AdGroupEntry> batch = new LinkedHashMap<>();
        conn.pagedSearch(domain.groupBaseDn, domain.groupFilter, domain.pageSize, AdGroupEntry.REQUESTED,
                new DirectoryConnection.PageSink() {
                    @Override
                    public void entry(Entry e) throws SQLException {
                        n.entries++;
                        g.entries++;
                        try {
                            AdGroupEntry group = AdGroupEntry.from(e);
                            seen.add(group.objectGuid());
                            batch.put(group.objectGuid(), group);
                            if (batch.size() >= batchSize) {
                                flush(ctx, domain, batch, g);
                            }
                        } catch (AdUser.InvalidEntry bad) {
                            g.errors++;
                            if (bad.objectGuid() != null) {
                                seen.add(bad.objectGuid());
                            }
                        }
                    }

                    @Override
                    public void pageDone(int page, int entriesInPage) throws SQLException {
                        flush(ctx, domain, batch, g);
                        n.pageDone(ctx, totals, domain.name, entriesInPage);
                    }
                });
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
            GroupSql.Deactivated d = ctx.write(c -> {
                return GroupSql.deactivate(c, domain.id, gone, REASON_NOT_FOUND);
            }, x -> io.adsync.run.RunStats.EMPTY);
            g.deactivated = d.groups();
            g.memberships = g.memberships.plus(new GroupSql.Changes(0, d.membershipsEnded()));
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
            GroupSql.Changes changes = ctx.write(c -> {
                List<UUID> accounts = GroupSql.idsByDn(c, domain.id, members.values(), false);
                List<UUID> groups = GroupSql.idsByDn(c, domain.id, members.values(), true);
                return GroupSql.replace(c, row.id(), accounts, false).plus(GroupSql.replace(c, row.id(), groups, true));
            }, x -> io.adsync.run.RunStats.EMPTY);
            g.memberships = g.memberships.plus(changes);
            ctx.checkCancelled();
        }
        return g;
    }

    private void flush(RunContext ctx, Domain domain, Map<UUID, AdGroupEntry> batch, Counts g) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        GroupSql.BatchCounts counts = ctx.write(c -> {
            return GroupSql.upsert(c, domain.id, batch.values());
        }, x -> io.adsync.run.RunStats.EMPTY);
        g.created += counts.created();
        g.updated += counts.updated();
        g.reactivated += counts.reactivated();
        g.unchanged += counts.unchanged();
        batch.clear();
    }
}
