package io.adsync.api.server;

import io.adsync.server.JobServer;
import io.adsync.server.JobServerStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

@Schema(name = "JobServer", description = "status is ONLINE while the heartbeat is fresh. softwareVersion is the worker build; version is the row version.")
public record JobServerResponse(UUID id, String name, boolean canBeJobServer, JobServerStatus status,
                                Instant lastHeartbeatAt, String softwareVersion, Instant startedAt, Instant createdAt,
                                long version) {

    static JobServerResponse of(JobServer s, Instant now, Duration offlineAfter) {
        return new JobServerResponse(s.id, s.name, s.canBeJobServer, s.status(now, offlineAfter), s.lastHeartbeatAt,
                s.softwareVersion, s.startedAt, s.createdAt, s.version);
    }
}
