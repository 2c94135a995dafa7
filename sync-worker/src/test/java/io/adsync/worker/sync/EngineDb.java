package io.adsync.worker.sync;

import io.adsync.crypto.SecretCipher;
import io.adsync.domain.Domain;
import io.adsync.run.RunOptions;
import io.adsync.run.RunTrigger;
import io.adsync.schedule.Schedule;
import io.adsync.run.ledger.ClaimedRun;
import io.adsync.worker.db.Tx;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.run.RunContext;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Rows the engine tests need (domains, jobs, claimed runs) and what they look at afterwards (accounts). */
final class EngineDb {

    private final DataSource ds;
    private final SecretCipher cipher;

    EngineDb(DataSource ds, SecretCipher cipher) {
        this.ds = ds;
        this.cipher = cipher;
    }

    /** Inserts the domain with its password encrypted like the API does. */
    Domain insert(Domain d, String password) throws SQLException {
        d.bindPasswordEncrypted = cipher.encrypt(password, d.id);
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO ad_domain (id, name, hosts, port, security, ca_certificate_pem, bind_dn, bind_password_enc,
                                           base_dn, user_filter, page_size, connect_timeout_seconds, read_timeout_seconds,
                                           created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now())
                    """)) {
                ps.setObject(1, d.id);
                ps.setString(2, d.name);
                ps.setArray(3, c.createArrayOf("text", d.hosts.toArray()));
                ps.setInt(4, d.port);
                ps.setString(5, d.security.name());
                ps.setString(6, d.caCertificatePem);
                ps.setString(7, d.bindDn);
                ps.setBytes(8, d.bindPasswordEncrypted);
                ps.setString(9, d.baseDn);
                ps.setString(10, d.userFilter);
                ps.setInt(11, d.pageSize);
                ps.setInt(12, d.connectTimeoutSeconds);
                ps.setInt(13, d.readTimeoutSeconds);
                ps.executeUpdate();
            }
            return null;
        });
        return d;
    }

    void updateDomain(UUID id, String column, Object value) throws SQLException {
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ad_domain SET " + column + " = ? WHERE id = ?")) {
                if (value instanceof List<?> l) {
                    ps.setArray(1, c.createArrayOf("text", l.toArray()));
                } else {
                    ps.setObject(1, value);
                }
                ps.setObject(2, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Sets the domain's attribute mappings (JSON, or null for the defaults) as the API does when they change: the
     * domain's updated_at and attribute_mappings_changed_at move.
     */
    void mappings(UUID id, String json) throws SQLException {
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ad_domain SET attribute_mappings = ?::jsonb, "
                    + "attribute_mappings_changed_at = clock_timestamp(), updated_at = clock_timestamp() WHERE id = ?")) {
                ps.setString(1, json);
                ps.setObject(2, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** An account's mapped attributes (JSON text) and manager link. */
    record Mapped(String attributes, UUID managerId, String dn) {
        com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return io.adsync.common.JsonColumns.MAPPER.readTree(attributes);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The domain's accounts' mapped attributes, by username. */
    Map<String, Mapped> mapped(UUID domainId) throws SQLException {
        return Tx.run(ds, c -> {
            Map<String, Mapped> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT username, attributes::text, manager_id, distinguished_name FROM account WHERE domain_id = ? ORDER BY username")) {
                ps.setObject(1, domainId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), new Mapped(rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4)));
                    }
                }
            }
            return rows;
        });
    }

    /** The account id of a username in the domain. */
    UUID accountId(UUID domainId, String username) throws SQLException {
        return Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM account WHERE domain_id = ? AND username = ?")) {
                ps.setObject(1, domainId);
                ps.setString(2, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getObject(1, UUID.class) : null;
                }
            }
        });
    }

    /** A job (single domain, or "sync all domains" when domainId is null). */
    UUID job(UUID domainId, int maxDeactivations, int maxDeactivationPercent) throws SQLException {
        UUID id = UUID.randomUUID();
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO sync_job (id, type, name, domain_id, sync_all_domains, requeue_on_failure, enabled, schedule,
                                          max_deactivations, max_deactivation_percent, full_sync_interval, created_at, updated_at)
                    VALUES (?, 'AD_SYNC', ?, ?, ?, false, true, '{"type":"MANUAL"}'::jsonb, ?, ?, interval '1 day', now(), now())
                    """)) {
                ps.setObject(1, id);
                ps.setString(2, "job-" + id);
                ps.setObject(3, domainId);
                ps.setBoolean(4, domainId == null);
                ps.setInt(5, maxDeactivations);
                ps.setInt(6, maxDeactivationPercent);
                ps.executeUpdate();
            }
            return null;
        });
        return id;
    }

    /**
     * A run of the job as a worker holds it after the claim: RUNNING, with a lease owner and a lease valid for 10
     * minutes, so that the engine's fenced writes pass. Returns its context with the domains assigned.
     */
    RunContext claimedRun(UUID jobId, RunOptions options, List<UUID> domains) throws SQLException {
        UUID runId = UUID.randomUUID();
        UUID owner = UUID.randomUUID();
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO job_run (id, job_id, attempt, trigger, state, lease_owner, lease_until, options, created_at, started_at)
                    VALUES (?, ?, 1, 'MANUAL', 'RUNNING', ?, now() + interval '10 minutes', ?::jsonb, now(), now())
                    """)) {
                ps.setObject(1, runId);
                ps.setObject(2, jobId);
                ps.setObject(3, owner);
                ps.setString(4, RunLedger.json(options));
                ps.executeUpdate();
            }
            return null;
        });
        JobRow job = Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT domain_id, sync_all_domains, max_deactivations, max_deactivation_percent FROM sync_job WHERE id = ?")) {
                ps.setObject(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new JobRow(rs.getObject(1, UUID.class), rs.getBoolean(2), rs.getInt(3), rs.getInt(4));
                }
            }
        });
        ClaimedRun run = new ClaimedRun(runId, jobId, 1, RunTrigger.MANUAL, null, owner, options, "job-" + jobId,
                job.domainId(), job.syncAll(), false, new Schedule.Manual(), job.maxDeactivations(), job.maxPercent());
        RunContext ctx = new RunContext(run, io.adsync.common.JdbiFactory.create(ds));
        ctx.assignDomains(domains);
        return ctx;
    }

    /** Finishes the run row (so the job can have another RUNNING run). */
    void endRun(RunContext ctx) throws SQLException {
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job_run SET state = 'SUCCEEDED', finished_at = now() WHERE id = ?")) {
                ps.setObject(1, ctx.run().runId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Queues a manual run for a worker to claim. */
    UUID queueRun(UUID jobId, RunOptions options) throws SQLException {
        UUID id = UUID.randomUUID();
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO job_run (id, job_id, attempt, trigger, state, not_before, options, created_at)
                    VALUES (?, ?, 1, 'MANUAL', 'QUEUED', now(), ?::jsonb, now())
                    """)) {
                ps.setObject(1, id);
                ps.setObject(2, jobId);
                ps.setString(3, RunLedger.json(options));
                ps.executeUpdate();
            }
            return null;
        });
        return id;
    }

    record JobRow(UUID domainId, boolean syncAll, int maxDeactivations, int maxPercent) {
    }

    /** A finished run as the worker recorded it. */
    record RunRow(String state, String errorCategory, String errorMessage, String stats, String details, String progress,
                  String mode, String modeReason) {
    }

    Optional<RunRow> run(UUID runId) throws SQLException {
        return Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT state, error_category, error_message, stats::text, details::text, progress::text, mode, mode_reason
                      FROM job_run WHERE id = ?
                    """)) {
                ps.setObject(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new RunRow(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8))) : Optional.empty();
                }
            }
        });
    }

    record AccountRow(UUID id, UUID objectGuid, String username, String upn, String email, String displayName,
                      String givenName, String surname, String dn, Integer uac, Long accountExpires, boolean active,
                      String reason, Instant lastSyncedAt, Instant createdAt, Instant updatedAt, long version, String xmin,
                      String xmax) {
        /** What a write changes: tuple version (xmin, xmax) and the bookkeeping columns. */
        String writeStamp() {
            return xmin + "/" + xmax + "/" + updatedAt + "/" + lastSyncedAt + "/" + version;
        }
    }

    /** The domain's accounts by objectGUID. */
    Map<UUID, AccountRow> accounts(UUID domainId) throws SQLException {
        return Tx.run(ds, c -> {
            Map<UUID, AccountRow> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id, object_guid, username, user_principal_name, email, display_name, given_name, surname,
                           distinguished_name, user_account_control, account_expires, active, deactivation_reason,
                           last_synced_at, created_at, updated_at, version, xmin::text, xmax::text
                      FROM account WHERE domain_id = ? ORDER BY username
                    """)) {
                ps.setObject(1, domainId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AccountRow r = new AccountRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                rs.getString(8), rs.getString(9), (Integer) rs.getObject(10), (Long) rs.getObject(11),
                                rs.getBoolean(12), rs.getString(13), rs.getTimestamp(14).toInstant(),
                                rs.getTimestamp(15).toInstant(), rs.getTimestamp(16).toInstant(), rs.getLong(17),
                                rs.getString(18), rs.getString(19));
                        rows.put(r.objectGuid(), r);
                    }
                }
            }
            return rows;
        });
    }

    /** The domain's watermark rows, by DC host. */
    Map<String, Watermark> watermarks(UUID domainId) throws SQLException {
        return Tx.run(ds, c -> {
            Map<String, Watermark> rows = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT dc_host, invocation_id, highest_usn, server_name, last_full_sync_at, updated_at
                      FROM domain_watermark WHERE domain_id = ? ORDER BY dc_host
                    """)) {
                ps.setObject(1, domainId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        java.sql.Timestamp full = rs.getTimestamp(5);
                        rows.put(rs.getString(1), new Watermark(domainId, rs.getString(1), rs.getObject(2, UUID.class),
                                rs.getLong(3), rs.getString(4), full == null ? null : full.toInstant(),
                                rs.getTimestamp(6).toInstant()));
                    }
                }
            }
            return rows;
        });
    }

    List<UUID> allDomainIdsByName() throws SQLException {
        return Tx.run(ds, c -> {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ad_domain ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        });
    }

    void execute(String sql) throws SQLException {
        Tx.run(ds, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.execute();
            }
            return null;
        });
    }
}
