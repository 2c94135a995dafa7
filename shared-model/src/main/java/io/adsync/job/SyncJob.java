package io.adsync.job;

import io.adsync.run.RunState;
import io.adsync.schedule.Schedule;
import io.adsync.common.AuditedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A sync job: which domain(s) to sync, when, and what to do when a run fails. */
@Entity
@Table(name = "sync_job")
public class SyncJob extends AuditedEntity {

    public static final Duration DEFAULT_FULL_SYNC_INTERVAL = Duration.ofDays(1);
    /** The deletion guard's defaults: a run may deactivate at most this many accounts per domain... */
    public static final int DEFAULT_MAX_DEACTIVATIONS = 500;
    /** ... and at most this percentage of a domain's active accounts. */
    public static final int DEFAULT_MAX_DEACTIVATION_PERCENT = 20;
    public static final Duration MIN_FULL_SYNC_INTERVAL = Duration.ofMinutes(1);
    public static final Duration MAX_FULL_SYNC_INTERVAL = Duration.ofDays(366);

    @Enumerated(EnumType.STRING)
    public JobType type;

    public String name;

    public String description;

    /** The one domain this job syncs; null when {@link #syncAllDomains} is set. */
    @Column(name = "domain_id")
    public UUID domainId;

    @Column(name = "sync_all_domains")
    public boolean syncAllDomains;

    @Column(name = "requeue_on_failure")
    public boolean requeueOnFailure;

    public boolean enabled;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Schedule schedule;

    @Column(name = "next_run_at")
    public Instant nextRunAt;

    /** Written only by the worker's claim and completion SQL. */
    @Column(name = "current_run_id", insertable = false, updatable = false)
    public UUID currentRunId;

    @Column(name = "max_deactivations")
    public int maxDeactivations;

    @Column(name = "max_deactivation_percent")
    public int maxDeactivationPercent;

    /** Runs do a full sync of a domain at least this often, incremental syncs in between (PT1M to P366D). */
    @JdbcTypeCode(SqlTypes.INTERVAL_SECOND)
    @Column(name = "full_sync_interval")
    public Duration fullSyncInterval = DEFAULT_FULL_SYNC_INTERVAL;

    @Column(name = "last_run_id", insertable = false, updatable = false)
    public UUID lastRunId;

    @Enumerated(EnumType.STRING)
    @Column(name = "last_run_state", insertable = false, updatable = false)
    public RunState lastRunState;

    @Column(name = "last_run_started_at", insertable = false, updatable = false)
    public Instant lastRunStartedAt;

    @Column(name = "last_run_finished_at", insertable = false, updatable = false)
    public Instant lastRunFinishedAt;

    @Column(name = "last_run_error", insertable = false, updatable = false)
    public String lastRunError;
}
