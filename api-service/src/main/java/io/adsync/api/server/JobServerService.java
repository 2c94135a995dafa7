package io.adsync.api.server;

import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Page;
import io.adsync.server.JobServer;
import io.adsync.server.JobServerStatus;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

@ApplicationScoped
public class JobServerService {

    /** A server whose last heartbeat is older than this shows OFFLINE (workers heartbeat every few seconds). */
    @ConfigProperty(name = "adsync.job-servers.offline-after", defaultValue = "30s")
    Duration offlineAfter;

    public Page<JobServerResponse> list(int page, int size) {
        Instant now = Instant.now();
        return Page.of(JobServer.<JobServer>findAll(Sort.by("name")), page, size, s -> JobServerResponse.of(s, now, offlineAfter));
    }

    public JobServerResponse get(UUID id) {
        return JobServerResponse.of(find(id), Instant.now(), offlineAfter);
    }

    @Transactional
    public JobServerResponse register(JobServerRequest req) {
        if (JobServer.count("name", req.name()) > 0) {
            throw ApiErrors.conflict("a job server named " + req.name() + " is already registered");
        }
        JobServer s = new JobServer();
        s.name = req.name();
        s.canBeJobServer = req.canBeJobServer() == null || req.canBeJobServer();
        s.persist();
        return JobServerResponse.of(s, Instant.now(), offlineAfter);
    }

    @Transactional
    public JobServerResponse patch(UUID id, JobServerPatch patch) {
        JobServer s = find(id);
        if (patch.version() != null && patch.version() != s.version) {
            throw ApiErrors.staleVersion("job server " + id, patch.version(), s.version);
        }
        s.canBeJobServer = patch.canBeJobServer();
        JobServer.getEntityManager().flush();
        return JobServerResponse.of(s, Instant.now(), offlineAfter);
    }

    /** Only an OFFLINE server can be deleted: an online worker would re-register at once. */
    @Transactional
    public void delete(UUID id) {
        JobServer s = find(id);
        if (s.status(Instant.now(), offlineAfter) == JobServerStatus.ONLINE) {
            throw ApiErrors.conflict("job server " + s.name + " is ONLINE; stop its worker first, or set canBeJobServer to false");
        }
        s.delete();
    }

    private static JobServer find(UUID id) {
        JobServer s = JobServer.findById(id);
        if (s == null) {
            throw ApiErrors.notFound("job server", id);
        }
        return s;
    }
}
