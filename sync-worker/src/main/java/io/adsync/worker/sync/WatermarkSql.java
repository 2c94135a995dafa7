package io.adsync.worker.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of incremental sync's watermarks ({@code domain_watermark}, V3__incremental.sql), in one place.
 * <p>
 * A domain has one row per domain controller a sync has read. Its <em>current</em> watermark is the most recently
 * advanced row: the DC the last successful sync read. Rows are only written by {@link #ADVANCE}, inside the fenced
 * transaction that ends a successful sync of the domain, so a failed, cancelled or fenced-out sync never moves
 * a watermark.
 */
public final class WatermarkSql {

    private WatermarkSql() {
    }

    /** The domain's current watermark: the row advanced last. */
    static final String CURRENT = """
            SELECT domain_id, dc_host, invocation_id, highest_usn, server_name, last_full_sync_at, updated_at
              FROM domain_watermark
             WHERE domain_id = ?
             ORDER BY updated_at DESC, dc_host
             LIMIT 1
            """;

    /**
     * Records a successful sync of the domain from one DC (parameters: domain, host, invocationId, USN, server name,
     * run id, now, then whether it was a full sync). {@code updated_at} makes the row the domain's current watermark;
     * {@code last_full_sync_at} moves only with a full sync, so the periodic full reconciliation counts from there.
     */
    static final String ADVANCE = """
            INSERT INTO domain_watermark AS w (domain_id, dc_host, invocation_id, highest_usn, server_name, run_id,
                                               updated_at, last_full_sync_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN ?::timestamptz END)
            ON CONFLICT (domain_id, dc_host) DO UPDATE
               SET invocation_id = excluded.invocation_id, highest_usn = excluded.highest_usn,
                   server_name = excluded.server_name, run_id = excluded.run_id, updated_at = excluded.updated_at,
                   last_full_sync_at = coalesce(excluded.last_full_sync_at, w.last_full_sync_at)
            """;

    /** The job's full_sync_interval in seconds. */
    static final String FULL_SYNC_INTERVAL = "SELECT extract(epoch FROM full_sync_interval)::bigint FROM sync_job WHERE id = ?";

    public static Optional<Watermark> current(Connection c, UUID domainId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CURRENT)) {
            ps.setObject(1, domainId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp full = rs.getTimestamp("last_full_sync_at");
                return Optional.of(new Watermark(rs.getObject("domain_id", UUID.class), rs.getString("dc_host"),
                        rs.getObject("invocation_id", UUID.class), rs.getLong("highest_usn"), rs.getString("server_name"),
                        full == null ? null : full.toInstant(), rs.getTimestamp("updated_at").toInstant()));
            }
        }
    }

    /** Writes the watermark of a successful sync. Call inside the fenced transaction that ends the sync. */
    public static void advance(Connection c, UUID domainId, String dcHost, UUID invocationId, long usn, String serverName,
                               UUID runId, Instant now, boolean full) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
            Timestamp at = Timestamp.from(now);
            ps.setObject(1, domainId);
            ps.setString(2, dcHost);
            ps.setObject(3, invocationId);
            ps.setLong(4, usn);
            ps.setString(5, serverName);
            ps.setObject(6, runId);
            ps.setTimestamp(7, at);
            ps.setBoolean(8, full);
            ps.setTimestamp(9, at);
            ps.executeUpdate();
        }
    }

    /** How often the job wants a full sync; the default (a day) if the job is gone. */
    public static Duration fullSyncInterval(Connection c, UUID jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FULL_SYNC_INTERVAL)) {
            ps.setObject(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Duration.ofSeconds(rs.getLong(1)) : io.adsync.job.SyncJob.DEFAULT_FULL_SYNC_INTERVAL;
            }
        }
    }
}
