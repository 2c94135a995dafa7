package io.adsync.worker.claim;

import io.adsync.common.Channels;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * LISTENs for the API's NOTIFYs on its own connection (outside the pool, since it is held for ever), so a
 * manual run starts within moments instead of at the next poll. If the database goes away it reconnects with
 * a delay; polling covers the gap.
 */
final class WakeupListener implements Runnable {

    private static final Logger LOG = Logger.getLogger(WakeupListener.class);

    private final String jdbcUrl;
    private final Properties credentials;
    private final Runnable onWakeup;
    private final Consumer<UUID> onCancel;
    private volatile boolean stopped;
    private volatile Connection connection;

    WakeupListener(String jdbcUrl, String user, String password, Runnable onWakeup, Consumer<UUID> onCancel) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.onWakeup = onWakeup;
        this.onCancel = onCancel;
    }

    @Override
    public void run() {
        while (!stopped) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, credentials)) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + Channels.WAKEUP);
                    st.execute("LISTEN " + Channels.CANCEL);
                }
                onWakeup.run(); // anything announced while we were not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes == null) {
                        continue;
                    }
                    boolean wake = false;
                    for (PGNotification n : notes) {
                        if (Channels.CANCEL.equals(n.getName())) {
                            parse(n.getParameter());
                        } else {
                            wake = true;
                        }
                    }
                    if (wake) {
                        onWakeup.run(); // once for all that arrived together (5,000 jobs made due at once: 5,000 NOTIFYs)
                    }
                }
            } catch (SQLException e) {
                if (!stopped) {
                    LOG.debugf("LISTEN connection lost (%s); polling until it is back", e.getMessage());
                    sleep(2000);
                }
            }
        }
    }

    private void parse(String runId) {
        try {
            onCancel.accept(UUID.fromString(runId));
        } catch (IllegalArgumentException ignored) {
            // not ours
        }
    }

    void stop() {
        stopped = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
