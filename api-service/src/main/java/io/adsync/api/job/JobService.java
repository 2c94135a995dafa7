package io.adsync.api.job;

import io.adsync.api.common.Filter;
import io.adsync.api.common.ApiErrors;
import io.adsync.api.common.Page;
import io.adsync.api.common.WorkerSignals;
import io.adsync.common.Violation;
import io.adsync.domain.Domain;
import io.adsync.job.JobType;
import io.adsync.job.SyncJob;
import io.adsync.schedule.ScheduleCalculator;
import io.adsync.schedule.ScheduleValidator;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

@ApplicationScoped
public class JobService {

    private final WorkerSignals signals;

    public JobService(WorkerSignals signals) {
        this.signals = signals;
    }

    @Transactional
    public JobResponse create(JobRequest req) {
        validate(req);
        ensureNameFree(req.name(), null);
        SyncJob j = new SyncJob();
        j.id = UUID.randomUUID();
        apply(j, req);
        j.nextRunAt = firstRun(j);
        j.persist();
        signals.wakeUp(j.id);
        return JobResponse.of(j);
    }

    @Transactional
    public JobResponse update(UUID id, JobRequest req) {
        SyncJob j = find(id);
        validate(req);
        if (req.version() != null && req.version() != j.version) {
            throw ApiErrors.staleVersion("job " + id, req.version(), j.version);
        }
        ensureNameFree(req.name(), id);
        boolean wasEnabled = j.enabled;
        var oldSchedule = j.schedule;
        apply(j, req);
        if (!j.enabled) {
            j.nextRunAt = null;
        } else if (!wasEnabled || !Objects.equals(oldSchedule, j.schedule)) {
            j.nextRunAt = firstRun(j);
        }
        SyncJob.getEntityManager().flush();
        signals.wakeUp(j.id);
        return JobResponse.of(j);
    }

    public JobResponse get(UUID id) {
        return JobResponse.of(find(id));
    }

    public Page<JobResponse> list(Boolean enabled, UUID domainId, int page, int size) {
        Filter filter = new Filter().equal("enabled", enabled).equal("domainId", domainId);
        return Page.of(SyncJob.<SyncJob>find(filter.query(), Sort.by("name"), filter.params()), page, size, JobResponse::of);
    }

    @Transactional
    public void delete(UUID id) {
        SyncJob j = find(id);
        if (j.currentRunId != null) {
            throw ApiErrors.conflict("job " + j.name + " has a run in progress (" + j.currentRunId + "); cancel it first",
                    "currentRunId", j.currentRunId);
        }
        j.delete();
    }

    public static SyncJob find(UUID id) {
        SyncJob j = SyncJob.findById(id);
        if (j == null) {
            throw ApiErrors.notFound("job", id);
        }
        return j;
    }

    private static Instant firstRun(SyncJob j) {
        // microseconds: what PostgreSQL stores, so the response shows the same nextRunAt as every later read
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return j.enabled ? ScheduleCalculator.nextRun(j.schedule, null, now).orElse(null) : null;
    }

    private static void apply(SyncJob j, JobRequest req) {
        j.type = req.type() != null ? req.type() : JobType.AD_SYNC;
        j.name = req.name().trim();
        j.description = req.description();
        j.syncAllDomains = Boolean.TRUE.equals(req.syncAllDomains());
        j.domainId = j.syncAllDomains ? null : req.domainId();
        j.requeueOnFailure = Boolean.TRUE.equals(req.requeueOnFailure());
        j.enabled = req.enabled() == null || req.enabled();
        j.schedule = req.schedule();
        j.maxDeactivations = req.maxDeactivations() != null ? req.maxDeactivations() : SyncJob.DEFAULT_MAX_DEACTIVATIONS;
        j.maxDeactivationPercent = req.maxDeactivationPercent() != null ? req.maxDeactivationPercent() : SyncJob.DEFAULT_MAX_DEACTIVATION_PERCENT;
        j.fullSyncInterval = req.fullSyncInterval() != null ? req.fullSyncInterval() : SyncJob.DEFAULT_FULL_SYNC_INTERVAL;
    }

    private static void validate(JobRequest req) {
        List<Violation> v = violations(req);
        if (!v.isEmpty()) {
            throw ApiErrors.invalid(v);
        }
        if (req.domainId() != null && Domain.findById(req.domainId()) == null) {
            throw ApiErrors.unprocessable("domainId", "domain " + req.domainId() + " does not exist");
        }
    }

    /** The rules beyond Bean Validation (schedule, scope, full-sync interval), as violations: also for the console's form. */
    public static List<Violation> violations(JobRequest req) {
        List<Violation> v = new ArrayList<>(ScheduleValidator.validate(req.schedule(), "schedule"));
        boolean all = Boolean.TRUE.equals(req.syncAllDomains());
        if (all && req.domainId() != null) {
            v.add(new Violation("domainId", "give either domainId or syncAllDomains: true, not both"));
        } else if (!all && req.domainId() == null) {
            v.add(new Violation("domainId", "either domainId or syncAllDomains: true is required"));
        }
        Duration full = req.fullSyncInterval();
        if (full != null && (full.compareTo(SyncJob.MIN_FULL_SYNC_INTERVAL) < 0 || full.compareTo(SyncJob.MAX_FULL_SYNC_INTERVAL) > 0)) {
            v.add(new Violation("fullSyncInterval", "must be between PT1M and P366D (PT8784H), not " + full));
        }
        return v;
    }

    private static void ensureNameFree(String name, UUID self) {
        SyncJob other = SyncJob.find("lower(name) = ?1", name.trim().toLowerCase()).firstResult();
        if (other != null && !other.id.equals(self)) {
            throw ApiErrors.conflict("a job named " + name.trim() + " already exists", "existingId", other.id);
        }
    }
}
