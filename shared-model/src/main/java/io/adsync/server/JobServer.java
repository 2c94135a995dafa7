package io.adsync.server;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A machine (host or pod) that runs a sync worker. Only servers with {@link #canBeJobServer} claim work. */
@Entity
@Table(name = "job_server")
public class JobServer extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    @Column(name = "can_be_job_server")
    public boolean canBeJobServer = true;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    /** The worker build that last registered under this name. */
    @Column(name = "software_version")
    public String softwareVersion;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Version
    public long version;

    @PrePersist
    void onCreate() {
        if (id == null) {
            id = UUID.randomUUID();
        }
        if (createdAt == null) {
            createdAt = Instant.now();
        }
    }

    /** ONLINE while the last heartbeat is younger than {@code offlineAfter}. */
    public JobServerStatus status(Instant now, Duration offlineAfter) {
        return lastHeartbeatAt != null && lastHeartbeatAt.plus(offlineAfter).isAfter(now)
                ? JobServerStatus.ONLINE : JobServerStatus.OFFLINE;
    }
}
