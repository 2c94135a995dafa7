package io.adsync.worker.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One database transaction: commit on return, roll back on any exception. Two forms: plain JDBC (the sync engine's
 * bulk statements) and a Jdbi handle (the run ledger's named statements). Either way a database failure surfaces
 * as an {@link SQLException}, which callers retry or report as the run's DB error.
 */
public final class Tx {

    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    @FunctionalInterface
    public interface HandleWork<T> {
        T apply(Handle h) throws SQLException;
    }

    private Tx() {
    }

    public static <T> T run(DataSource ds, Work<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    public static <T> T run(Jdbi jdbi, HandleWork<T> work) throws SQLException {
        try {
            return jdbi.inTransaction(work::apply);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException cause) {
                throw new SQLException(e.getMessage(), cause.getSQLState(), cause.getErrorCode(), e);
            }
            throw e;
        }
    }
}
