package io.adsync.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One execution (attempt) of a sync job. The API creates QUEUED runs and requests cancellation;
 * everything else is written by the worker through fenced SQL.
 */
@Entity
@Table(name = "job_run")
public class JobRun extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "job_id")
    public UUID jobId;

    public int attempt = 1;

    @Enumerated(EnumType.STRING)
    public RunTrigger trigger;

    @Enumerated(EnumType.STRING)
    public RunState state;

    @Column(name = "job_server_id")
    public UUID jobServerId;

    @Column(name = "lease_owner")
    public UUID leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "not_before")
    public Instant notBefore;

    @Column(name = "scheduled_for")
    public Instant scheduledFor;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "cancel_requested")
    public boolean cancelRequested;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public RunOptions options = RunOptions.DEFAULT;

    @Enumerated(EnumType.STRING)
    public SyncMode mode;

    /** Why the worker chose {@link #mode}, e.g. "no watermark yet". */
    @Column(name = "mode_reason")
    public String modeReason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public RunProgress progress = RunProgress.EMPTY;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public RunStats stats = RunStats.EMPTY;

    /** Per-domain outcome and any other structured detail of the run. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> details = Map.of();

    /** Human-readable status note, e.g. why a run is waiting. */
    public String message;

    @Enumerated(EnumType.STRING)
    @Column(name = "error_category")
    public ErrorCategory errorCategory;

    @Column(name = "error_message")
    public String errorMessage;

    @Version
    public long version;

    @PrePersist
    void onCreate() {
        if (id == null) {
            id = UUID.randomUUID();
        }
        Instant now = Instant.now();
        if (createdAt == null) {
            createdAt = now;
        }
        if (notBefore == null) {
            notBefore = now;
        }
    }
}
