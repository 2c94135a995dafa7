package io.adsync.worker.server;

import org.jdbi.v3.core.Handle;

import java.util.Optional;
import java.util.UUID;

/** The job-server registry, as a worker keeps its own row: registered at start, heartbeated, marked stopped. */
public final class JobServers {

    /** A job server's row: its id and whether it may claim work. */
    public record Registration(UUID id, boolean canBeJobServer) {
    }

    /** Registers (or re-registers) a server by name; an existing row keeps its canBeJobServer flag. */
    static final String REGISTER = """
            INSERT INTO job_server (id, name, can_be_job_server, last_heartbeat_at, software_version, started_at, created_at)
            VALUES (gen_random_uuid(), :name, :canBeJobServer, now(), :version, now(), now())
            ON CONFLICT (name) DO UPDATE
               SET last_heartbeat_at = now(), software_version = excluded.software_version, started_at = now()
            RETURNING id, can_be_job_server
            """;

    /** Refreshes the heartbeat and reads the flag back; nothing if the row was deleted (through the API). */
    static final String HEARTBEAT = "UPDATE job_server SET last_heartbeat_at = now() WHERE id = :id RETURNING can_be_job_server";

    /** A cleanly stopped worker shows OFFLINE at once instead of after its heartbeat goes stale. */
    static final String STOPPED = "UPDATE job_server SET last_heartbeat_at = NULL WHERE id = :id";

    private JobServers() {
    }

    public static Registration register(Handle h, String name, boolean canBeJobServer, String softwareVersion) {
        return h.createQuery(REGISTER).bind("name", name).bind("canBeJobServer", canBeJobServer).bind("version", softwareVersion)
                .map((rs, ctx) -> new Registration(rs.getObject(1, UUID.class), rs.getBoolean(2))).one();
    }

    /** @return the server's current canBeJobServer flag, or empty if the row was deleted */
    public static Optional<Boolean> heartbeat(Handle h, UUID serverId) {
        return h.createQuery(HEARTBEAT).bind("id", serverId).mapTo(Boolean.class).findOne();
    }

    public static void markStopped(Handle h, UUID serverId) {
        h.createUpdate(STOPPED).bind("id", serverId).execute();
    }
}
