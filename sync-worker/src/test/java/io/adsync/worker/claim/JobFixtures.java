package io.adsync.worker.claim;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Rows for worker tests, written with plain SQL exactly as the API would leave them. */
final class JobFixtures {

    static final String DUE_NOW_DAILY = "{\"type\":\"TIME_SPAN\",\"runWhen\":\"IMMEDIATELY\",\"interval\":\"P1D\"}";
    static final String MANUAL = "{\"type\":\"MANUAL\"}";

    private final DataSource ds;

    static io.adsync.schedule.Schedule schedule(String json) {
        try {
            return io.adsync.common.JsonColumns.MAPPER.readValue(json, io.adsync.schedule.Schedule.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    JobFixtures(DataSource ds) {
        this.ds = ds;
    }

    void wipe() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE job_run, sync_job, domain_lease, account, ad_domain, job_server CASCADE");
        }
    }

    UUID domain(String name) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("""
                INSERT INTO ad_domain (id, name, hosts, port, security, bind_dn, bind_password_enc, base_dn, user_filter,
                                       page_size, connect_timeout_seconds, read_timeout_seconds, created_at, updated_at)
                VALUES (?, ?, ARRAY['127.0.0.1'], 389, 'NONE', 'cn=x', '\\x00'::bytea, 'dc=x', '(objectClass=user)', 1000, 5, 5, now(), now())
                """, id, name);
        return id;
    }

    /** A job on one domain (or all, if domainId is null) whose schedule is due now. */
    UUID job(String name, UUID domainId, boolean requeueOnFailure, String scheduleJson, boolean dueNow) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("""
                INSERT INTO sync_job (id, type, name, domain_id, sync_all_domains, requeue_on_failure, enabled, schedule,
                                      next_run_at, max_deactivations, max_deactivation_percent, full_sync_interval,
                                      created_at, updated_at)
                VALUES (?, 'AD_SYNC', ?, ?, ?, ?, true, ?::jsonb, CASE WHEN ? THEN now() ELSE NULL END, 500, 20, interval '1 day',
                        now(), now())
                """, id, name, domainId, domainId == null, requeueOnFailure, scheduleJson, dueNow);
        return id;
    }

    UUID queueManualRun(UUID jobId) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO job_run (id, job_id, trigger, state) VALUES (?, ?, 'MANUAL', 'QUEUED'); SELECT pg_notify('adsync_wakeup', ?)",
                id, jobId, jobId.toString());
        return id;
    }

    void exec(String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }

    List<Map<String, Object>> rows(String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    long count(String sql, Object... args) throws SQLException {
        return ((Number) rows(sql, args).getFirst().values().iterator().next()).longValue();
    }
}
