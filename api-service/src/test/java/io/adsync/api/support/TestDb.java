package io.adsync.api.support;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Direct SQL against the test database: to see what the API stored (e.g. the encrypted password), and to put
 * rows into states only a worker creates (RUNNING runs, heartbeats, accounts).
 */
@ApplicationScoped
public class TestDb {

    @Inject
    AgroalDataSource dataSource;

    public int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public long count(String table) {
        return (Long) value("SELECT count(*) FROM " + table);
    }

    /** The single value of a single-row query, or null if there is no row. */
    public Object value(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of every row. */
    public java.util.List<Object> column(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            java.util.List<Object> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** EXPLAIN of a query with sequential scans disabled (on that connection only), as one text. */
    public String explainWithoutSeqScan(String sql, Object... args) {
        try (Connection c = dataSource.getConnection()) {
            try (var st = c.createStatement()) {
                st.execute("SET enable_seqscan = off");
            }
            try (PreparedStatement ps = prepare(c, "EXPLAIN " + sql, args); ResultSet rs = ps.executeQuery()) {
                StringBuilder plan = new StringBuilder();
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
                return plan.toString();
            } finally {
                try (var st = c.createStatement()) {
                    st.execute("RESET enable_seqscan");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public byte[] bindPasswordCiphertext(String domainId) {
        return (byte[]) value("SELECT bind_password_enc FROM ad_domain WHERE id = ?", UUID.fromString(domainId));
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }
}
