package io.adsync.worker.sync;

import io.adsync.directory.AdAttributes;
import io.adsync.directory.DirectoryConnection;

import java.util.UUID;

/**
 * Reads users by objectGUID through the scoped search of a sync: under the base DN, with the domain's user filter,
 * for the requested attributes, {@code (&<userFilter>(|(objectGUID=\xx..)(objectGUID=\xx..)...))}, at most
 * {@link #CHUNK} GUIDs per search. objectGUID equality is indexed (on Samba as on AD), so each search costs about
 * as much as the entries it returns, whatever the size of the directory. Only the users that are in the scope
 * (under the base DN and matching the filter) come back.
 */
final class GuidLookup {

    /** GUIDs per search: each one adds ~60 characters to the filter. */
    static final int CHUNK = 100;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GuidLookup() {
    }

    /**
     * Reads the users among {@code guids} that are in the scope into {@code sink}, one paged search per chunk; the
     * searches only complete normally if every page of every chunk arrived.
     */
    static void read(DirectoryConnection conn, String baseDn, String userFilter, int pageSize, java.util.List<String> attributes,
                     GuidSet guids, DirectoryConnection.PageSink sink) throws Exception {
        for (int from = 0; from < guids.size(); from += CHUNK) {
            conn.pagedSearch(baseDn, filter(userFilter, guids, from, Math.min(guids.size(), from + CHUNK)), pageSize,
                    attributes, sink);
        }
    }

    /** The filter for {@code guids.get(from)} .. {@code guids.get(to - 1)}. */
    static String filter(String userFilter, GuidSet guids, int from, int to) {
        StringBuilder f = new StringBuilder(userFilter.length() + 8 + (to - from) * 61);
        f.append("(&").append(userFilter.trim()).append("(|");
        for (int i = from; i < to; i++) {
            f.append("(").append(AdAttributes.OBJECT_GUID).append('=');
            escape(guids.get(i), f);
            f.append(')');
        }
        return f.append("))").toString();
    }

    /** The objectGUID as AD stores it ({@link AdAttributes#uuidToGuid}), every byte escaped as {@code \xx}. */
    static void escape(UUID guid, StringBuilder to) {
        for (byte b : AdAttributes.uuidToGuid(guid)) {
            to.append('\\').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
    }
}
