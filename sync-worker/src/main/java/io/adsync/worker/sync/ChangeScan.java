package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import io.adsync.directory.DirectoryConnection;
import org.apache.directory.api.ldap.model.entry.Attribute;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.name.Dn;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * The one range search of an incremental sync: every user of the naming context (the domain partition, not only
 * the base DN) with {@code uSNChanged >= fromUsn}, tombstones included (Show Deleted control):
 * {@code (&(objectClass=user)(uSNChanged>=N))}, asking only for objectGUID, uSNChanged and isDeleted.
 * <p>
 * Why one search and not one per question (changed in the scope, left the scope, deleted): Samba's ldb has no
 * ordered index, so every {@code uSNChanged>=N} search is a full scan of the directory (0.2-0.5 s at 20,000
 * users); real AD indexes uSNChanged, and one search is cheaper there too. What a sync needs besides the changed
 * users' GUIDs is then read by objectGUID, which is indexed ({@link GuidLookup}).
 * <p>
 * The entries are sorted into {@link Changes}:
 * <ul>
 *   <li>tombstones ({@code isDeleted=TRUE}): deleted users; AD keeps a deleted object's objectGUID on its
 *       tombstone;</li>
 *   <li>live users whose DN is under the base DN: to be read through the scoped search by objectGUID (only those
 *       it returns are in the scope: the user filter decides);</li>
 *   <li>live users elsewhere in the naming context: not in the scope; if one is an active account, it left the
 *       scope (the caller still asks the scoped search for it, so nothing is deactivated on the strength of a DN
 *       comparison alone);</li>
 *   <li>settled: the live users whose uSNChanged is at most the watermark read for this run ({@code toUsn}). Only
 *       these may be found to have left the scope: an object changed after that ({@code uSNChanged > toUsn}) is left
 *       to the next run, which sees it again (it may have moved into the scope after this scan saw it).</li>
 * </ul>
 */
final class ChangeScan {

    static final String USN_CHANGED = "uSNChanged";
    static final String IS_DELETED = "isDeleted";
    static final List<String> ATTRIBUTES = List.of(AdAttributes.OBJECT_GUID, USN_CHANGED, IS_DELETED);

    /**
     * What the scan found: objectGUIDs sorted as above ({@code elsewhere} holds settled users only), and how many
     * entries it read ({@code entries}, tombstones included, and {@code tombstoneEntries}). Entries without a usable
     * objectGUID are only counted: they cannot be one of our accounts.
     */
    record Changes(GuidSet tombstones, GuidSet underBase, GuidSet elsewhere, GuidSet settled, long entries,
                   long tombstoneEntries) {
    }

    private ChangeScan() {
    }

    /** The range scan's filter. */
    static String filter(long fromUsn) {
        return "(&(objectClass=user)(" + USN_CHANGED + ">=" + fromUsn + "))";
    }

    /**
     * Users changed (or deleted) at or after {@code fromUsn}; {@code toUsn} is this run's watermark. Every entry
     * counts in {@code n}; {@code pageDone} gets each page's entries.
     */
    static Changes scan(DirectoryConnection conn, String namingContext, int pageSize, String baseDn, long fromUsn,
                        long toUsn, SyncCounters n, IntConsumer pageDone) throws Exception {
        Dn base = lowerDn(baseDn);
        GuidSet tombstones = new GuidSet(16);
        GuidSet underBase = new GuidSet(16);
        GuidSet elsewhere = new GuidSet(16);
        GuidSet settled = new GuidSet(16);
        long[] count = new long[2];
        conn.pagedSearch(namingContext, filter(fromUsn), pageSize, ATTRIBUTES, true, new DirectoryConnection.PageSink() {
            @Override
            public void entry(Entry e) {
                n.entries++;
                count[0]++;
                UUID guid;
                try {
                    guid = AdUser.guidOf(e);
                } catch (AdUser.InvalidEntry bad) {
                    return;
                }
                if (isDeleted(e)) {
                    count[1]++;
                    tombstones.add(guid);
                    return;
                }
                Long usn = usn(e);
                boolean isSettled = usn == null || usn <= toUsn;
                if (isSettled) {
                    settled.add(guid);
                }
                if (isUnder(e, base)) {
                    underBase.add(guid);
                } else if (isSettled) {
                    elsewhere.add(guid);
                }
            }

            @Override
            public void pageDone(int page, int entriesInPage) {
                pageDone.accept(entriesInPage);
            }
        });
        return new Changes(tombstones, underBase, elsewhere, settled, count[0], count[1]);
    }

    /**
     * Whether the entry's DN is the base DN or below it (AD compares DNs case-insensitively). When either DN cannot
     * be parsed, true: the scoped search by objectGUID then decides.
     */
    static boolean isUnder(Entry e, Dn base) {
        if (base == null || e.getDn() == null) {
            return true;
        }
        Dn dn = lowerDn(e.getDn().getName());
        return dn == null || dn.equals(base) || dn.isDescendantOf(base);
    }

    static Dn lowerDn(String dn) {
        try {
            return new Dn(dn.toLowerCase(Locale.ROOT));
        } catch (Exception ex) {
            return null;
        }
    }

    private static boolean isDeleted(Entry e) {
        Attribute a = e.get(IS_DELETED);
        try {
            return a != null && a.get() != null && "TRUE".equalsIgnoreCase(a.getString().trim());
        } catch (Exception ex) {
            return false;
        }
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
