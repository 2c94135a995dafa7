package io.adsync.worker.sync;

import io.adsync.domain.Domain;
import io.adsync.domain.Security;
import io.adsync.run.RunStats;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Every SQL statement of the directory sync engine, in one place.
 * <p>
 * Accounts are keyed on {@code (domain_id, object_guid)} (unique constraint {@code account_anchor_uq}), so a
 * rename (sAMAccountName/UPN) or a move (DN) updates the same row. Rows are never deleted by a sync, only
 * deactivated with a reason. Writes happen in transactions whose first statement is the run's fence
 * ({@link io.adsync.worker.run.RunContext#write}); the caller opens them.
 * <p>
 * Nothing is written for an account whose directory data did not change: the upsert's {@code DO UPDATE} has a
 * {@code WHERE ... IS DISTINCT FROM ...} over every stored column, so an unchanged row is neither updated nor
 * returned, and {@code updated_at}, {@code last_synced_at} and {@code version} move only when the row really
 * changes. A resync of an unchanged directory writes zero rows. The mapped {@code attributes} (jsonb) are one of
 * those columns: jsonb equality ignores key order, so an unchanged set of values compares equal.
 * <p>
 * Manager links ({@code manager_id}) are kept by {@link #LINK_MANAGERS} and {@link #REFRESH_MANAGER_DNS}, run once
 * per domain sync after its users were written.
 */
public final class AccountSql {

    private AccountSql() {
    }

    static final String LOAD_DOMAIN = """
            SELECT id, name, hosts, port, security, ca_certificate_pem, bind_dn, bind_password_enc, base_dn,
                   user_filter, group_base_dn, group_filter, page_size, connect_timeout_seconds, read_timeout_seconds,
                   updated_at, attribute_mappings::text, attribute_mappings_changed_at
              FROM ad_domain WHERE id = ?
            """;

    static final String COUNT_ACTIVE = "SELECT count(*) FROM account WHERE domain_id = ? AND active";

    /**
     * The batched upsert of one batch of directory entries (parameters: 13 arrays of equal length, one element
     * per entry, the last the mapped attributes as JSON text, no objectGUID twice; then the domain id twice).
     * <ul>
     *   <li>{@code input}: the batch, unnested from the arrays.</li>
     *   <li>{@code changed}: the entries that are new or differ from their row in any stored column, with the
     *       row's current {@code active}. Unchanged entries stop here: they never reach ON CONFLICT, which would
     *       lock (and so write) even the rows its WHERE then declines to update.</li>
     *   <li>{@code written}: insert, or update on the anchor conflict, again only when a column differs (the
     *       {@code IS DISTINCT FROM} guard). {@code xmax = 0} in RETURNING is true for a freshly inserted tuple and
     *       false for one updated by ON CONFLICT (the updating transaction leaves its id in the new tuple's xmax
     *       as the row lock).</li>
     *   <li>The final SELECT counts created / updated (active unchanged) / reactivated (inactive to active) /
     *       deactivated (active to inactive: disabled or expired in AD). Entries not written were unchanged.</li>
     * </ul>
     * A reactivated account gets the reason of its new state: NULL when active.
     */
    static final String UPSERT = """
            WITH input AS (
                SELECT u.object_guid, u.username, u.user_principal_name, u.email, u.display_name, u.given_name, u.surname,
                       u.distinguished_name, u.user_account_control, u.account_expires, u.active, u.deactivation_reason,
                       u.attributes::jsonb AS attributes
                  FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                              ?::text[], ?::integer[], ?::bigint[], ?::boolean[], ?::text[], ?::text[])
                    AS u(object_guid, username, user_principal_name, email, display_name, given_name, surname,
                         distinguished_name, user_account_control, account_expires, active, deactivation_reason, attributes)
            ), changed AS (
                SELECT i.*, a.active AS was_active
                  FROM input i
                  LEFT JOIN account a ON a.domain_id = ? AND a.object_guid = i.object_guid
                 WHERE a.id IS NULL
                    OR (a.username, a.user_principal_name, a.email, a.display_name, a.given_name, a.surname,
                        a.distinguished_name, a.user_account_control, a.account_expires, a.active, a.deactivation_reason,
                        a.attributes)
                       IS DISTINCT FROM
                       (i.username, i.user_principal_name, i.email, i.display_name, i.given_name, i.surname,
                        i.distinguished_name, i.user_account_control, i.account_expires, i.active, i.deactivation_reason,
                        i.attributes)
            ), written AS (
                INSERT INTO account AS a (id, domain_id, object_guid, username, user_principal_name, email,
                                          display_name, given_name, surname, distinguished_name, user_account_control,
                                          account_expires, active, deactivation_reason, attributes, last_synced_at,
                                          created_at, updated_at, version)
                SELECT gen_random_uuid(), ?, c.object_guid, c.username, c.user_principal_name, c.email, c.display_name,
                       c.given_name, c.surname, c.distinguished_name, c.user_account_control, c.account_expires,
                       c.active, c.deactivation_reason, c.attributes, now(), now(), now(), 0
                  FROM changed c
                ON CONFLICT (domain_id, object_guid) DO UPDATE
                   SET username = excluded.username, user_principal_name = excluded.user_principal_name,
                       email = excluded.email, display_name = excluded.display_name, given_name = excluded.given_name,
                       surname = excluded.surname, distinguished_name = excluded.distinguished_name,
                       user_account_control = excluded.user_account_control, account_expires = excluded.account_expires,
                       active = excluded.active, deactivation_reason = excluded.deactivation_reason,
                       attributes = excluded.attributes,
                       manager_id = CASE WHEN a.attributes -> 'manager' IS DISTINCT FROM excluded.attributes -> 'manager'
                                         THEN NULL ELSE a.manager_id END,
                       last_synced_at = now(), updated_at = now(), version = a.version + 1
                 WHERE (a.username, a.user_principal_name, a.email, a.display_name, a.given_name, a.surname,
                        a.distinguished_name, a.user_account_control, a.account_expires, a.active, a.deactivation_reason,
                        a.attributes)
                       IS DISTINCT FROM
                       (excluded.username, excluded.user_principal_name, excluded.email, excluded.display_name,
                        excluded.given_name, excluded.surname, excluded.distinguished_name, excluded.user_account_control,
                        excluded.account_expires, excluded.active, excluded.deactivation_reason, excluded.attributes)
                RETURNING a.object_guid, (a.xmax = 0) AS inserted, a.active
            )
            SELECT count(*) FILTER (WHERE w.inserted)                                        AS created,
                   count(*) FILTER (WHERE NOT w.inserted AND w.active = c.was_active)        AS updated,
                   count(*) FILTER (WHERE NOT w.inserted AND w.active AND NOT c.was_active)  AS reactivated,
                   count(*) FILTER (WHERE NOT w.inserted AND NOT w.active AND c.was_active)  AS deactivated
              FROM written w JOIN changed c ON c.object_guid = w.object_guid
            """;

    /**
     * Links the domain's accounts that name a manager ({@code attributes.manager}, a DN) but have no link yet to
     * the account of that DN (case-insensitive; of several accounts with that DN, e.g. a deleted user and a new one
     * with the same name, the active one, then the last written). The upsert unlinks an account whenever its
     * {@code attributes.manager} changes, so a link is made from the DN as the directory last sent it, and kept
     * while the DN stays: the link is by account id (objectGUID), so it follows the manager's renames and moves.
     * A DN that names no account of the domain (a manager outside the sync's scope) stays unlinked. Parameters: the
     * domain id twice. Writes only accounts whose link changes.
     */
    static final String LINK_MANAGERS = """
            WITH by_dn AS (
                SELECT DISTINCT ON (lower(distinguished_name)) lower(distinguished_name) AS dn, id
                  FROM account
                 WHERE domain_id = ? AND distinguished_name IS NOT NULL
                 ORDER BY lower(distinguished_name), active DESC, updated_at DESC, id
            )
            UPDATE account a
               SET manager_id = m.id, updated_at = now(), version = a.version + 1
              FROM by_dn m
             WHERE a.domain_id = ? AND a.manager_id IS NULL AND a.attributes ->> 'manager' IS NOT NULL
               AND m.dn = lower(a.attributes ->> 'manager')
            """;

    /**
     * After a manager was renamed or moved, AD shows the new DN in the {@code manager} attribute of every report, but
     * does not change the reports (their uSNChanged stays), so an incremental sync does not read them again: their
     * stored {@code attributes.manager} is brought to the linked manager's current DN here. (A full sync reads the
     * same DN from the directory and writes nothing more.) Parameter: the domain id.
     */
    static final String REFRESH_MANAGER_DNS = """
            UPDATE account a
               SET attributes = jsonb_set(a.attributes, '{manager}', to_jsonb(m.distinguished_name)),
                   updated_at = now(), version = a.version + 1
              FROM account m
             WHERE a.domain_id = ? AND a.manager_id IS NOT NULL AND m.id = a.manager_id
               AND m.distinguished_name IS NOT NULL
               AND lower(a.attributes ->> 'manager') IS DISTINCT FROM lower(m.distinguished_name)
            """;

    /** The active accounts of a domain, streamed (to find those the enumeration did not see). */
    static final String ACTIVE_GUIDS = "SELECT object_guid FROM account WHERE domain_id = ? AND active";

    /** Which of the given objectGUIDs are active accounts of the domain (an incremental sync's candidates). */
    static final String ACTIVE_AMONG = "SELECT object_guid FROM account WHERE domain_id = ? AND active AND object_guid = ANY(?::uuid[])";

    /** Deactivates accounts gone from the directory. Only active ones: an already inactive row is not rewritten. */
    static final String DEACTIVATE = """
            UPDATE account
               SET active = false, deactivation_reason = ?, last_synced_at = now(), updated_at = now(),
                   version = version + 1
             WHERE domain_id = ? AND active AND object_guid = ANY(?::uuid[])
            """;

    public static Optional<Domain> loadDomain(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOAD_DOMAIN)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Domain d = new Domain();
                d.id = rs.getObject("id", UUID.class);
                d.name = rs.getString("name");
                Array hosts = rs.getArray("hosts");
                d.hosts = hosts == null ? List.of() : List.of((String[]) hosts.getArray());
                d.port = rs.getInt("port");
                d.security = Security.valueOf(rs.getString("security"));
                d.caCertificatePem = rs.getString("ca_certificate_pem");
                d.bindDn = rs.getString("bind_dn");
                d.bindPasswordEncrypted = rs.getBytes("bind_password_enc");
                d.baseDn = rs.getString("base_dn");
                d.userFilter = rs.getString("user_filter");
                d.groupBaseDn = rs.getString("group_base_dn");
                d.groupFilter = rs.getString("group_filter");
                d.pageSize = rs.getInt("page_size");
                d.connectTimeoutSeconds = rs.getInt("connect_timeout_seconds");
                d.readTimeoutSeconds = rs.getInt("read_timeout_seconds");
                d.updatedAt = rs.getTimestamp("updated_at").toInstant();
                String mappings = rs.getString("attribute_mappings");
                if (mappings != null) {
                    try {
                        d.attributeMappings = List.of(io.adsync.common.JsonColumns.MAPPER.readValue(mappings,
                                io.adsync.domain.AttributeMapping[].class));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new SQLException("domain " + id + ": unreadable attribute_mappings: " + e.getOriginalMessage(), e);
                    }
                }
                java.sql.Timestamp mappingsChanged = rs.getTimestamp("attribute_mappings_changed_at");
                d.attributeMappingsChangedAt = mappingsChanged == null ? null : mappingsChanged.toInstant();
                return Optional.of(d);
            }
        }
    }

    public static long countActive(Connection c, UUID domainId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(COUNT_ACTIVE)) {
            ps.setObject(1, domainId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Upserts one batch (distinct objectGUIDs) and counts what happened to the accounts. */
    static RunStats upsert(Connection c, UUID domainId, Collection<AdUser> batch) throws SQLException {
        if (batch.isEmpty()) {
            return RunStats.EMPTY;
        }
        int n = batch.size();
        UUID[] guid = new UUID[n];
        String[] username = new String[n];
        String[] upn = new String[n];
        String[] email = new String[n];
        String[] display = new String[n];
        String[] given = new String[n];
        String[] surname = new String[n];
        String[] dn = new String[n];
        Integer[] uac = new Integer[n];
        Long[] expires = new Long[n];
        Boolean[] active = new Boolean[n];
        String[] reason = new String[n];
        String[] attributes = new String[n];
        int i = 0;
        for (AdUser u : batch) {
            guid[i] = u.objectGuid();
            username[i] = u.username();
            upn[i] = u.userPrincipalName();
            email[i] = u.email();
            display[i] = u.displayName();
            given[i] = u.givenName();
            surname[i] = u.surname();
            dn[i] = u.distinguishedName();
            uac[i] = u.userAccountControl();
            expires[i] = u.accountExpires();
            active[i] = u.active();
            reason[i] = u.deactivationReason();
            attributes[i] = json(u.attributes());
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("uuid", guid));
            for (String[] text : List.of(username, upn, email, display, given, surname, dn)) {
                ps.setArray(p++, c.createArrayOf("text", text));
            }
            ps.setArray(p++, c.createArrayOf("int4", uac));
            ps.setArray(p++, c.createArrayOf("int8", expires));
            ps.setArray(p++, c.createArrayOf("bool", active));
            ps.setArray(p++, c.createArrayOf("text", reason));
            ps.setArray(p++, c.createArrayOf("text", attributes));
            ps.setObject(p++, domainId);
            ps.setObject(p, domainId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long created = rs.getLong("created");
                long updated = rs.getLong("updated");
                long reactivated = rs.getLong("reactivated");
                long deactivated = rs.getLong("deactivated");
                return new RunStats(created, updated, deactivated, reactivated,
                        n - created - updated - reactivated - deactivated, 0);
            }
        }
    }

    private static String json(java.util.Map<String, Object> attributes) throws SQLException {
        if (attributes == null || attributes.isEmpty()) {
            return "{}";
        }
        try {
            return io.adsync.common.JsonColumns.MAPPER.writeValueAsString(attributes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("attributes not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    /** What {@link #linkManagers} changed. */
    record ManagerLinks(long linked, long refreshed) {
    }

    /** {@link #LINK_MANAGERS} then {@link #REFRESH_MANAGER_DNS}: two set-based statements, whatever the domain's size. */
    static ManagerLinks linkManagers(Connection c, UUID domainId) throws SQLException {
        long linked;
        long refreshed;
        try (PreparedStatement ps = c.prepareStatement(LINK_MANAGERS)) {
            ps.setObject(1, domainId);
            ps.setObject(2, domainId);
            linked = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(REFRESH_MANAGER_DNS)) {
            ps.setObject(1, domainId);
            refreshed = ps.executeUpdate();
        }
        return new ManagerLinks(linked, refreshed);
    }

    /**
     * Streams the objectGUIDs of the domain's active accounts (server-side cursor, 10,000 rows per fetch).
     * Must run inside a transaction (auto-commit off), or the driver fetches everything at once.
     */
    public static void forEachActiveGuid(Connection c, UUID domainId, Consumer<UUID> each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ACTIVE_GUIDS)) {
            ps.setFetchSize(10_000);
            ps.setObject(1, domainId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(rs.getObject(1, UUID.class));
                }
            }
        }
    }

    /** The active accounts among {@code guids} (queried in chunks of 10,000 GUIDs). */
    public static GuidSet activeAmong(Connection c, UUID domainId, GuidSet guids) throws SQLException {
        GuidSet active = new GuidSet(Math.max(16, guids.size()));
        int chunk = 10_000;
        try (PreparedStatement ps = c.prepareStatement(ACTIVE_AMONG)) {
            for (int from = 0; from < guids.size(); from += chunk) {
                ps.setObject(1, domainId);
                ps.setArray(2, c.createArrayOf("uuid", guids.slice(from, Math.min(guids.size(), from + chunk))));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        active.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        return active;
    }

    /** Deactivates the given accounts (in chunks of 10,000 GUIDs per statement); returns how many changed. */
    public static long deactivate(Connection c, UUID domainId, GuidSet guids, String reason) throws SQLException {
        long changed = 0;
        int chunk = 10_000;
        try (PreparedStatement ps = c.prepareStatement(DEACTIVATE)) {
            for (int from = 0; from < guids.size(); from += chunk) {
                ps.setString(1, reason);
                ps.setObject(2, domainId);
                ps.setArray(3, c.createArrayOf("uuid", guids.slice(from, Math.min(guids.size(), from + chunk))));
                changed += ps.executeUpdate();
            }
        }
        return changed;
    }
}
