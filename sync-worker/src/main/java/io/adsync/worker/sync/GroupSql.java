package io.adsync.worker.sync;

import io.adsync.run.RunStats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Every SQL statement of group sync (tables of V4__groups.sql), in one place.
 * <p>
 * Groups are keyed on {@code (domain_id, object_guid)} like accounts, so a rename or a move updates the same row;
 * unchanged groups are not written (the same {@code IS DISTINCT FROM} guard as {@link AccountSql#UPSERT}). Direct
 * memberships are the group's {@code member} values resolved by DN to the domain's accounts
 * ({@code group_membership}) and groups ({@code group_nesting}); each group's set is replaced as a whole after its
 * members were read, writing only the differences. A group that is gone is deactivated and loses every membership,
 * as a parent and as a member. All writes happen in transactions whose first statement is the run's fence.
 */
public final class GroupSql {

    private GroupSql() {
    }

    /**
     * One batch of groups (five arrays of equal length, no objectGUID twice; then the domain id twice). As
     * {@link AccountSql#UPSERT}: only new or different rows are written; a group seen again is active.
     */
    static final String UPSERT = """
            WITH input AS (
                SELECT * FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[])
                    AS i(object_guid, name, sam_account_name, distinguished_name, description)
            ), changed AS (
                SELECT i.*, g.active AS was_active
                  FROM input i
                  LEFT JOIN ad_group g ON g.domain_id = ? AND g.object_guid = i.object_guid
                 WHERE g.id IS NULL
                    OR (g.name, g.sam_account_name, g.distinguished_name, g.description, g.active, g.deactivation_reason)
                       IS DISTINCT FROM (i.name, i.sam_account_name, i.distinguished_name, i.description, true, NULL::text)
            ), written AS (
                INSERT INTO ad_group AS g (id, domain_id, object_guid, name, sam_account_name, distinguished_name,
                                           description, active, deactivation_reason, last_synced_at, created_at,
                                           updated_at, version)
                SELECT gen_random_uuid(), ?, c.object_guid, c.name, c.sam_account_name, c.distinguished_name,
                       c.description, true, NULL, now(), now(), now(), 0
                  FROM changed c
                ON CONFLICT (domain_id, object_guid) DO UPDATE
                   SET name = excluded.name, sam_account_name = excluded.sam_account_name,
                       distinguished_name = excluded.distinguished_name, description = excluded.description,
                       active = true, deactivation_reason = NULL, last_synced_at = now(), updated_at = now(),
                       version = g.version + 1
                 WHERE (g.name, g.sam_account_name, g.distinguished_name, g.description, g.active, g.deactivation_reason)
                       IS DISTINCT FROM (excluded.name, excluded.sam_account_name, excluded.distinguished_name,
                                         excluded.description, true, NULL::text)
                RETURNING g.object_guid, (g.xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE w.inserted)                          AS created,
                   count(*) FILTER (WHERE NOT w.inserted AND c.was_active)     AS updated,
                   count(*) FILTER (WHERE NOT w.inserted AND NOT c.was_active) AS reactivated
              FROM written w JOIN changed c ON c.object_guid = w.object_guid
            """;

    /** The domain's active groups (id, objectGUID, DN): to find those gone, and those whose members to read. */
    static final String ACTIVE = "SELECT id, object_guid, distinguished_name FROM ad_group WHERE domain_id = ? AND active";

    /** Deactivates groups gone from the directory; returns their ids (for {@link #END_MEMBERSHIPS}). */
    static final String DEACTIVATE = """
            UPDATE ad_group
               SET active = false, deactivation_reason = ?, last_synced_at = now(), updated_at = now(), version = version + 1
             WHERE domain_id = ? AND active AND id = ANY(?::uuid[])
            RETURNING id
            """;

    /** Every membership of the given groups ends: their members, and their own membership in other groups. */
    static final String END_MEMBERSHIPS = """
            WITH a AS (DELETE FROM group_membership WHERE group_id = ANY(?::uuid[]) RETURNING 1),
                 n AS (DELETE FROM group_nesting WHERE group_id = ANY(?::uuid[]) OR member_group_id = ANY(?::uuid[]) RETURNING 1)
            SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM n)
            """;

    /**
     * The domain's accounts with these DNs (member values are DNs). Two rows can have the same DN (a deleted user
     * keeps its last DN, and a new user may get it): the active one, else the one written last, is the member.
     */
    static final String ACCOUNTS_BY_DN = """
            SELECT DISTINCT ON (distinguished_name) id
              FROM account
             WHERE domain_id = ? AND distinguished_name = ANY(?::text[])
             ORDER BY distinguished_name, active DESC, updated_at DESC
            """;

    /** The domain's active groups with these DNs. */
    static final String GROUPS_BY_DN = "SELECT id FROM ad_group WHERE domain_id = ? AND active AND distinguished_name = ANY(?::text[])";

    /**
     * Replaces a group's direct account members with the given set (parameters: group, members, group, members):
     * deletes the rows not in it, inserts the missing ones, and counts both.
     */
    static final String REPLACE_ACCOUNTS = """
            WITH gone AS (
                DELETE FROM group_membership WHERE group_id = ? AND NOT account_id = ANY(?::uuid[]) RETURNING 1
            ), added AS (
                INSERT INTO group_membership (group_id, account_id) SELECT ?, m FROM unnest(?::uuid[]) AS m
                ON CONFLICT DO NOTHING RETURNING 1
            )
            SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM gone)
            """;

    /** The same for a group's direct group members. */
    static final String REPLACE_GROUPS = """
            WITH gone AS (
                DELETE FROM group_nesting WHERE group_id = ? AND NOT member_group_id = ANY(?::uuid[]) RETURNING 1
            ), added AS (
                INSERT INTO group_nesting (group_id, member_group_id) SELECT ?, m FROM unnest(?::uuid[]) AS m
                ON CONFLICT DO NOTHING RETURNING 1
            )
            SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM gone)
            """;

    /** An active group row. */
    public record GroupRow(UUID id, UUID objectGuid, String distinguishedName) {
    }

    static RunStats upsert(Connection c, UUID domainId, Collection<AdGroupEntry> batch) throws SQLException {
        if (batch.isEmpty()) {
            return RunStats.EMPTY;
        }
        int n = batch.size();
        UUID[] guid = new UUID[n];
        String[] name = new String[n];
        String[] sam = new String[n];
        String[] dn = new String[n];
        String[] description = new String[n];
        int i = 0;
        for (AdGroupEntry g : batch) {
            guid[i] = g.objectGuid();
            name[i] = g.name();
            sam[i] = g.samAccountName();
            dn[i] = g.distinguishedName();
            description[i] = g.description();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setArray(1, c.createArrayOf("uuid", guid));
            ps.setArray(2, c.createArrayOf("text", name));
            ps.setArray(3, c.createArrayOf("text", sam));
            ps.setArray(4, c.createArrayOf("text", dn));
            ps.setArray(5, c.createArrayOf("text", description));
            ps.setObject(6, domainId);
            ps.setObject(7, domainId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long created = rs.getLong(1);
                long updated = rs.getLong(2);
                long reactivated = rs.getLong(3);
                return groups(created, updated, 0, reactivated, n - created - updated - reactivated, 0, 0);
            }
        }
    }

    public static List<GroupRow> active(Connection c, UUID domainId) throws SQLException {
        List<GroupRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ACTIVE)) {
            ps.setObject(1, domainId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new GroupRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)));
                }
            }
        }
        return rows;
    }

    /** Deactivates the groups and ends their memberships (counted as memberships removed). */
    static RunStats deactivate(Connection c, UUID domainId, List<UUID> ids, String reason) throws SQLException {
        if (ids.isEmpty()) {
            return RunStats.EMPTY;
        }
        List<UUID> done = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DEACTIVATE)) {
            ps.setString(1, reason);
            ps.setObject(2, domainId);
            ps.setArray(3, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(rs.getObject(1, UUID.class));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(END_MEMBERSHIPS)) {
            var arr = c.createArrayOf("uuid", done.toArray());
            ps.setArray(1, arr);
            ps.setArray(2, arr);
            ps.setArray(3, arr);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return groups(0, 0, done.size(), 0, 0, 0, rs.getLong(1));
            }
        }
    }

    /** The ids of the domain's accounts (or, with {@code groups}, active groups) with these DNs. */
    public static List<UUID> idsByDn(Connection c, UUID domainId, List<String> dns, boolean groups) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        int chunk = 10_000;
        try (PreparedStatement ps = c.prepareStatement(groups ? GROUPS_BY_DN : ACCOUNTS_BY_DN)) {
            for (int from = 0; from < dns.size(); from += chunk) {
                ps.setObject(1, domainId);
                ps.setArray(2, c.createArrayOf("text", dns.subList(from, Math.min(dns.size(), from + chunk)).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        return ids;
    }

    /** Makes {@code members} the group's direct account (or, with {@code groups}, group) members. */
    static RunStats replace(Connection c, UUID groupId, List<UUID> members, boolean groups) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(groups ? REPLACE_GROUPS : REPLACE_ACCOUNTS)) {
            var arr = c.createArrayOf("uuid", members.toArray());
            ps.setObject(1, groupId);
            ps.setArray(2, arr);
            ps.setObject(3, groupId);
            ps.setArray(4, arr);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return groups(0, 0, 0, 0, 0, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    /** What a write did to groups (every write here counts as groups, never as accounts). */
    private static RunStats groups(long created, long updated, long deactivated, long reactivated, long unchanged,
                                   long membershipsAdded, long membershipsRemoved) {
        return RunStats.EMPTY.withGroups(new RunStats.Groups(created, updated, deactivated, reactivated, unchanged, 0,
                membershipsAdded, membershipsRemoved));
    }
}
