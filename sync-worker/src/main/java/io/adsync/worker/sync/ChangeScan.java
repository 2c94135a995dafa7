package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import io.adsync.directory.DirectoryConnection;
import io.adsync.worker.run.RunContext;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;

import java.util.List;
import java.util.UUID;

/**
 * What an incremental sync reads besides the changed users in its scope: the users that changed but are no
 * longer in the scope, and the users that were deleted. Both searches run over the whole naming context (the
 * domain partition), not only under the base DN, and only return objects with {@code uSNChanged >= fromUsn}:
 * <ul>
 *   <li>{@link #leftScope}: {@code (&(objectClass=user)(uSNChanged>=N))}. A changed user that the scoped search
 *       did not return was moved out of the base DN or no longer matches the user filter. Objects changed after
 *       the watermark read for this run ({@code uSNChanged > toUsn}) are left to the next run, which sees them
 *       again: they may have moved into the scope after the scoped search ran.</li>
 *   <li>{@link #deleted}: tombstones, with the Show Deleted control: {@code (&(objectClass=user)(isDeleted=TRUE)
 *       (uSNChanged>=N))}. AD keeps a deleted object's objectGUID on its tombstone.</li>
 * </ul>
 * Only objectGUID (and uSNChanged) are requested; the caller keeps those that are active accounts.
 */
final class ChangeScan {

    static final String USN_CHANGED = "uSNChanged";

    private final DirectoryConnection conn;
    private final String namingContext;
    private final int pageSize;
    private final RunContext ctx;
    private final SyncCounters n;
    private final SyncCounters.RunTotals totals;
    private final String domainName;

    ChangeScan(DirectoryConnection conn, String namingContext, int pageSize, RunContext ctx, SyncCounters n,
               SyncCounters.RunTotals totals, String domainName) {
        this.conn = conn;
        this.namingContext = namingContext;
        this.pageSize = pageSize;
        this.ctx = ctx;
        this.n = n;
        this.totals = totals;
        this.domainName = domainName;
    }

    /** The scoped filter of an incremental sync: the user filter, changed since the watermark. */
    static String changedSince(String userFilter, long fromUsn) {
        return "(&" + userFilter.trim() + "(" + USN_CHANGED + ">=" + fromUsn + "))";
    }

    /** Users changed in [fromUsn, toUsn] that are not in {@code inScope}. */
    GuidSet leftScope(long fromUsn, long toUsn, GuidSet inScope) throws Exception {
        GuidSet out = new GuidSet(16);
        scan("(&(objectClass=user)(" + USN_CHANGED + ">=" + fromUsn + "))", false, (guid, usn) -> {
            if (!inScope.contains(guid) && (usn == null || usn <= toUsn)) {
                out.add(guid);
            }
        });
        return out;
    }

    /** Tombstones of users deleted at or after fromUsn. */
    GuidSet deleted(long fromUsn) throws Exception {
        GuidSet out = new GuidSet(16);
        scan("(&(objectClass=user)(isDeleted=TRUE)(" + USN_CHANGED + ">=" + fromUsn + "))", true, (guid, usn) -> out.add(guid));
        return out;
    }

    private interface Found {
        void accept(UUID guid, Long usn);
    }

    private void scan(String filter, boolean showDeleted, Found found) throws Exception {
        conn.pagedSearch(namingContext, filter, pageSize, List.of(AdAttributes.OBJECT_GUID, USN_CHANGED), showDeleted,
                new DirectoryConnection.PageSink() {
                    @Override
                    public void entry(Entry e) {
                        n.entries++;
                        UUID guid;
                        try {
                            guid = AdUser.guidOf(e);
                        } catch (AdUser.InvalidEntry bad) {
                            return; // no usable objectGUID: it cannot be one of our accounts
                        }
                        found.accept(guid, usn(e));
                    }

                    @Override
                    public void pageDone(int page, int entriesInPage) {
                        n.pageDone(ctx, totals, domainName, entriesInPage);
                    }
                });
    }

    private static Long usn(Entry e) {
        Attribute a = e.get(USN_CHANGED);
        try {
            return a == null || a.get() == null ? null : Long.parseLong(a.getString().trim());
        } catch (Exception ex) {
            return null;
        }
    }
}
