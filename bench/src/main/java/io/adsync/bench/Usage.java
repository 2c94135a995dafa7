package io.adsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a piece of work cost, robust to a busy machine: CPU time of the worker JVMs and of the PostgreSQL backends
 * serving the benchmark database (from /proc), and the database's committed transactions and row writes (from
 * pg_stat_database, which PostgreSQL flushes about once a second). Backends that exit in between are not counted.
 */
record Usage(long jvmTicks, Map<Integer, Long> backendTicks, long commits, long rowsWritten) {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    /** Per unit of work (e.g. per run). */
    record Delta(double jvmCpuMs, double pgCpuMs, double commits, double rowsWritten) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "worker CPU %.2f ms, PostgreSQL CPU %.2f ms, %.1f commits, %.1f row writes",
                    jvmCpuMs, pgCpuMs, commits, rowsWritten);
        }
    }

    static Usage take(BenchContext ctx, List<JvmProcess> jvms) throws SQLException {
        long jvm = jvms.stream().mapToLong(p -> ticks(p.pid())).sum();
        Map<Integer, Long> backends = new HashMap<>();
        long commits;
        long rows;
        try (Connection c = ctx.db(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    backends.put(rs.getInt(1), ticks(rs.getInt(1)));
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database
                     WHERE datname = current_database()""")) {
                rs.next();
                commits = rs.getLong(1);
                rows = rs.getLong(2);
            }
        }
        return new Usage(jvm, backends, commits, rows);
    }

    Delta minus(Usage before, int units) {
        long pg = 0;
        for (var e : backendTicks.entrySet()) {
            pg += e.getValue() - before.backendTicks.getOrDefault(e.getKey(), 0L);
        }
        return new Delta((jvmTicks - before.jvmTicks) * 1000 / TICKS_PER_SECOND / units, pg * 1000 / TICKS_PER_SECOND / units,
                (double) (commits - before.commits) / units, (double) (rowsWritten - before.rowsWritten) / units);
    }

    /** utime + stime of a process, in clock ticks; 0 if it is gone or not readable. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
