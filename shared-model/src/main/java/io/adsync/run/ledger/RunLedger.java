package io.adsync.run.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.adsync.common.Channels;
import io.adsync.common.JsonColumns;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunOptions;
import io.adsync.run.RunState;
import io.adsync.run.RunTrigger;
import io.adsync.schedule.Schedule;
import io.adsync.schedule.ScheduleCalculator;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The run ledger: the only code that changes a {@code job_run}'s state or its job's run summary
 * ({@code sync_job.current_run_id}, {@code last_run_*}, {@code next_run_at} after a run). Every transition is one
 * statement here: queue, claim, heartbeat, fence, defer, end (with retries), reap, release at shutdown, cancel.
 * Both apps use it (the API queues and cancels; workers do the rest), each method inside the caller's transaction.
 * <p>
 * Times are always the database's {@code now()}, so workers on machines with skewed clocks still agree on who
 * holds a lease. Fencing: a claimed run is owned by {@code (run id, lease_owner, attempt)}; every statement that
 * writes for a running run checks all three plus {@code state = 'RUNNING'}. A worker that lost its lease (it stalled
 * past {@code lease_until} and another worker abandoned the run) matches zero rows and stops.
 */
public final class RunLedger {

    private RunLedger() {
    }

    /**
     * The claim: one statement, one short transaction. It locks due job rows with {@code FOR UPDATE SKIP LOCKED},
     * so concurrent workers never block each other and never get the same job. A job is due when it has no
     * running run and either its schedule came due or a queued run (manual or retry) is ready. For each locked
     * job it promotes the oldest ready queued run to RUNNING, or else inserts a SCHEDULE run, gives it a lease,
     * and records it in {@code sync_job.current_run_id}. Because "is it running" is a column of the locked job
     * row, a competing claim re-checks it after the lock is released (READ COMMITTED re-evaluation) and skips the
     * job; the unique index on RUNNING runs per job backs this up. No lock outlives this statement's transaction.
     * <p>
     * Cost: the two kinds of due jobs are found separately, each along its own index in due-time order and
     * stopping at the limit (scheduled: sync_job_due_idx; queued: job_run_queued_idx), so a claim reads about
     * as many rows as it claims, not every due job. The jobs claimed are the earliest due of both lists together
     * (next_run_at or the queued run's not_before). The run and job details come back with the claim.
     */
    static final String CLAIM = """
            WITH allowed AS (
                SELECT 1 FROM job_server s WHERE s.id = :server AND s.can_be_job_server
            ), scheduled AS (
                SELECT j.id AS job_id, j.next_run_at, j.next_run_at AS due_at
                  FROM sync_job j
                 WHERE j.enabled AND j.current_run_id IS NULL AND j.next_run_at <= now() AND EXISTS (SELECT 1 FROM allowed)
                 ORDER BY j.next_run_at
                 LIMIT :limit
                 FOR UPDATE OF j SKIP LOCKED
            ), queued AS (
                SELECT j.id AS job_id, j.next_run_at, r.not_before AS due_at
                  FROM job_run r JOIN sync_job j ON j.id = r.job_id
                 WHERE r.state = 'QUEUED' AND r.not_before <= now() AND j.current_run_id IS NULL
                   AND EXISTS (SELECT 1 FROM allowed)
                 ORDER BY r.not_before
                 LIMIT :limit
                 FOR UPDATE OF j SKIP LOCKED
            ), due AS (
                SELECT u.job_id, min(u.next_run_at) AS next_run_at,
                       (SELECT r.id FROM job_run r
                         WHERE r.job_id = u.job_id AND r.state = 'QUEUED' AND r.not_before <= now()
                         ORDER BY r.not_before, r.created_at LIMIT 1) AS queued_run_id
                  FROM (SELECT * FROM scheduled UNION ALL SELECT * FROM queued) u
                 GROUP BY u.job_id
                 ORDER BY min(u.due_at)
                 LIMIT :limit
            ), promoted AS (
                UPDATE job_run r
                   SET state = 'RUNNING', job_server_id = :server, lease_owner = :owner,
                       lease_until = now() + make_interval(secs => :lease), started_at = now(), message = NULL,
                       version = r.version + 1
                  FROM due d
                 WHERE r.id = d.queued_run_id AND r.state = 'QUEUED'
                RETURNING r.id, r.job_id, r.attempt, r.trigger, r.scheduled_for, r.options
            ), inserted AS (
                INSERT INTO job_run (id, job_id, attempt, trigger, state, job_server_id, lease_owner, lease_until,
                                     not_before, scheduled_for, created_at, started_at)
                SELECT gen_random_uuid(), d.job_id, 1, 'SCHEDULE', 'RUNNING', :server, :owner,
                       now() + make_interval(secs => :lease), d.next_run_at, d.next_run_at, now(), now()
                  FROM due d
                 WHERE d.queued_run_id IS NULL
                RETURNING id, job_id, attempt, trigger, scheduled_for, options
            ), claimed AS (
                SELECT * FROM promoted UNION ALL SELECT * FROM inserted
            )
            UPDATE sync_job j SET current_run_id = c.id
              FROM claimed c
             WHERE j.id = c.job_id
            RETURNING c.id, c.job_id, c.attempt, c.trigger, c.scheduled_for, c.options::text,
                      j.name, j.domain_id, j.sync_all_domains, j.requeue_on_failure, j.schedule::text,
                      j.max_deactivations, j.max_deactivation_percent
            """;

    /** Extends the lease and publishes progress (fenced); returns nothing if the lease is no longer ours. */
    static final String HEARTBEAT = """
            UPDATE job_run SET lease_until = now() + make_interval(secs => :lease), progress = CAST(:progress AS jsonb)
             WHERE id = :run AND lease_owner = :owner AND attempt = :attempt AND state = 'RUNNING'
            RETURNING cancel_requested
            """;

    /**
     * The write fence, first statement of every write transaction of a run: share-locks the run row while the
     * lease is valid, so no one can abandon the run until this transaction commits.
     */
    static final String FENCE = """
            SELECT 1 FROM job_run
             WHERE id = :run AND lease_owner = :owner AND attempt = :attempt AND state = 'RUNNING' AND lease_until > now()
               FOR SHARE
            """;

    /**
     * Ends runs (each fenced on its own token); one statement for a batch of runs that ended at about the same
     * time, so that ending a run costs a row, not a transaction. Returns the runs that were still ours.
     */
    static final String END = """
            UPDATE job_run r
               SET state = t.state, finished_at = now(), lease_until = NULL, stats = CAST(t.stats AS jsonb),
                   progress = CAST(t.progress AS jsonb), details = CAST(t.details AS jsonb), mode = t.mode,
                   mode_reason = t.mode_reason, error_category = t.category, error_message = t.message,
                   version = r.version + 1
              FROM unnest(:id, :owner, :attempt, :state, :stats, :progress, :details, :mode, :modeReason, :category, :message)
                   AS t(id, owner, attempt, state, stats, progress, details, mode, mode_reason, category, message)
             WHERE r.id = t.id AND r.lease_owner = t.owner AND r.attempt = t.attempt AND r.state = 'RUNNING'
            RETURNING r.id
            """;

    /** Locks the jobs of ended runs for their bookkeeping, in id order (two batches never wait in a circle). */
    static final String LOCK_JOBS = """
            SELECT id, schedule::text, enabled, requeue_on_failure FROM sync_job WHERE id = ANY(:jobs) ORDER BY id FOR UPDATE
            """;

    /**
     * Frees jobs for their next run and records their last run's summary, for a batch of ended runs. The new
     * {@code next_run_at} is written only where {@code advance} (a scheduled run); manual and retry runs leave
     * the schedule alone.
     */
    static final String AFTER_RUNS = """
            UPDATE sync_job j
               SET current_run_id = CASE WHEN j.current_run_id = t.run_id THEN NULL ELSE j.current_run_id END,
                   last_run_id = t.run_id, last_run_state = t.state, last_run_finished_at = now(), last_run_error = t.error,
                   last_run_started_at = (SELECT r.started_at FROM job_run r WHERE r.id = t.run_id),
                   next_run_at = CASE WHEN t.advance THEN CAST(t.next_run_at AS timestamptz) ELSE j.next_run_at END
              FROM unnest(:job, :run, :state, :error, :advance, :nextRunAt)
                   AS t(job_id, run_id, state, error, advance, next_run_at)
             WHERE j.id = t.job_id
            """;

    /** Puts a claimed run back in the queue (fenced): its domain is busy, it will be tried again shortly. */
    static final String DEFER = """
            UPDATE job_run
               SET state = 'QUEUED', not_before = now() + make_interval(secs => :delay), message = :message,
                   lease_owner = NULL, lease_until = NULL, job_server_id = NULL, started_at = NULL,
                   version = version + 1
             WHERE id = :run AND lease_owner = :owner AND attempt = :attempt AND state = 'RUNNING'
            """;

    /** Frees the job of a deferred run; a deferred scheduled run takes its slot, so the schedule advances. */
    static final String RELEASE_JOB = """
            UPDATE sync_job SET current_run_id = NULL,
                   next_run_at = CASE WHEN :advance THEN CAST(:nextRunAt AS timestamptz) ELSE next_run_at END
             WHERE id = :job AND current_run_id = :run
            """;

    /**
     * The reaper: runs whose lease expired (their worker died or stalled) become ABANDONED. Any worker may do
     * this; SKIP LOCKED keeps two reapers, or a reaper and a fenced write, from colliding.
     */
    static final String REAP = """
            WITH expired AS (
                SELECT id FROM job_run WHERE state = 'RUNNING' AND lease_until < now()
                 ORDER BY lease_until LIMIT :limit FOR UPDATE SKIP LOCKED
            )
            UPDATE job_run r
               SET state = 'ABANDONED', finished_at = now(), lease_until = NULL, version = r.version + 1,
                   error_message = 'lease expired at ' || r.lease_until || ': its worker stopped heartbeating (crashed or stalled)'
              FROM expired e
             WHERE r.id = e.id
            RETURNING r.id, r.job_id, r.attempt, r.trigger, r.scheduled_for
            """;

    /**
     * Queues the next attempt of a job as a RETRY run. It inherits the options of the attempt it retries, so a
     * retried {"mode":"FULL"} or allowMassDeactivation run is still one.
     */
    static final String QUEUE_RETRY = """
            INSERT INTO job_run (id, job_id, attempt, trigger, state, not_before, created_at, message, options)
            VALUES (gen_random_uuid(), :job, :attempt, 'RETRY', 'QUEUED', now() + make_interval(secs => :delay), now(),
                    :message, COALESCE((SELECT options FROM job_run WHERE id = :previous), '{}'::jsonb))
            """;

    /** A manual run, queued for the workers (who are woken by the NOTIFY when this transaction commits). */
    static final String QUEUE_MANUAL = """
            INSERT INTO job_run (id, job_id, trigger, state, options, not_before, created_at)
            VALUES (:run, :job, 'MANUAL', 'QUEUED', CAST(:options AS jsonb), now(), now())
            """;

    /**
     * Cancel: a queued run ends CANCELLED at once, and its job's summary shows it; a running run is flagged (its
     * worker sees the flag with the NOTIFY, or at the latest with its next heartbeat, and ends the run itself).
     * Returns the state the run was in; nothing for an unknown run.
     */
    static final String CANCEL = """
            WITH target AS (
                SELECT id, job_id, state FROM job_run WHERE id = :run FOR UPDATE
            ), queued AS (
                UPDATE job_run r
                   SET state = 'CANCELLED', finished_at = now(), error_category = 'CANCELLED',
                       error_message = 'cancelled before it started', version = r.version + 1
                  FROM target t WHERE r.id = t.id AND t.state = 'QUEUED'
                RETURNING r.id, r.job_id
            ), flagged AS (
                UPDATE job_run r SET cancel_requested = true, version = r.version + 1
                  FROM target t WHERE r.id = t.id AND t.state = 'RUNNING'
                RETURNING r.id
            ), summary AS (
                UPDATE sync_job j
                   SET last_run_id = q.id, last_run_state = 'CANCELLED', last_run_finished_at = now(),
                       last_run_started_at = NULL, last_run_error = 'CANCELLED: cancelled before it started'
                  FROM queued q WHERE j.id = q.job_id
            )
            SELECT state FROM target
            """;

    /** How long until something may become due; an idle claim loop sleeps no longer than this. */
    static final String UNTIL_NEXT_DUE = """
            SELECT EXTRACT(EPOCH FROM (LEAST(
                     (SELECT min(next_run_at) FROM sync_job WHERE enabled AND current_run_id IS NULL),
                     (SELECT min(not_before) FROM job_run WHERE state = 'QUEUED'),
                     (SELECT min(lease_until) FROM job_run WHERE state = 'RUNNING')) - now()))
            """;

    // ---- queue and cancel (the API) -----------------------------------------------------------------------

    /** Queues a manual run of {@code jobId} and wakes the workers when the transaction commits. */
    public static UUID queueManual(Handle h, UUID jobId, RunOptions options) {
        UUID id = UUID.randomUUID();
        h.createUpdate(QUEUE_MANUAL).bind("run", id).bind("job", jobId).bind("options", json(options)).execute();
        notify(h, Channels.WAKEUP, jobId);
        return id;
    }

    /**
     * @return the state the run was in before (QUEUED: now CANCELLED; RUNNING: now flagged, its worker notified;
     * anything else: unchanged), or empty if there is no such run
     */
    public static Optional<RunState> cancel(Handle h, UUID runId) {
        Optional<RunState> before = h.createQuery(CANCEL).bind("run", runId).mapTo(String.class).findOne().map(RunState::valueOf);
        if (before.isPresent() && before.get() == RunState.RUNNING) {
            notify(h, Channels.CANCEL, runId);
        }
        return before;
    }

    private static void notify(Handle h, String channel, UUID payload) {
        h.createQuery("SELECT pg_notify(:channel, :payload)").bind("channel", channel).bind("payload", payload.toString())
                .mapTo(String.class).one();
    }

    // ---- claim, heartbeat, fence (the workers) ---------------------------------------------------------------

    public static List<ClaimedRun> claim(Handle h, UUID serverId, UUID owner, Duration lease, int limit) {
        return h.createQuery(CLAIM).bind("server", serverId).bind("owner", owner).bind("lease", seconds(lease))
                .bind("limit", limit)
                .map((rs, ctx) -> new ClaimedRun(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                        RunTrigger.valueOf(rs.getString(4)), instant(rs, 5), owner, json(rs.getString(6), RunOptions.class),
                        rs.getString(7), rs.getObject(8, UUID.class), rs.getBoolean(9), rs.getBoolean(10),
                        json(rs.getString(11), Schedule.class), rs.getInt(12), rs.getInt(13)))
                .list();
    }

    /** @return whether cancellation was requested, or empty if the lease is no longer ours */
    public static Optional<Boolean> heartbeat(Handle h, ClaimedRun run, Duration lease, String progressJson) {
        Optional<Boolean> cancel = h.createQuery(HEARTBEAT).bind("lease", seconds(lease)).bind("progress", progressJson)
                .bind("run", run.runId()).bind("owner", run.leaseOwner()).bind("attempt", run.attempt())
                .mapTo(Boolean.class).findOne();
        if (cancel.isPresent()) {
            DomainLeases.extend(h, run.runId(), lease);
        }
        return cancel;
    }

    /** @return whether the run is still ours; if so, it stays so until the caller's transaction ends */
    public static boolean fence(Handle h, ClaimedRun run) {
        return h.createQuery(FENCE).bind("run", run.runId()).bind("owner", run.leaseOwner()).bind("attempt", run.attempt())
                .mapTo(Integer.class).findOne().isPresent();
    }

    public static Optional<Duration> untilNextDue(Handle h) {
        return h.createQuery(UNTIL_NEXT_DUE).mapTo(Double.class).findOne()
                .map(secs -> Duration.ofMillis(Math.max(0, (long) (secs * 1000))));
    }

    // ---- ends: how a run finishes and what its job does next ------------------------------------------------------

    /** How a run ended (the JSON columns already serialised). */
    public record RunEnd(ClaimedRun run, RunState state, String statsJson, String progressJson, String detailsJson,
                         String mode, String modeReason, ErrorCategory category, String message) {
    }

    /** A run that ended, as the job's bookkeeping needs it. */
    public record EndedRun(UUID runId, UUID jobId, int attempt, RunTrigger trigger, Instant scheduledFor, RunState state,
                           ErrorCategory category, String error) {
    }

    /** Whether, and when, an ended run is tried again. */
    @FunctionalInterface
    public interface Retries {
        /** The next attempt after {@code run}, if it gets one; {@code requeueOnFailure} is its job's flag. */
        Optional<Retry> after(EndedRun run, boolean requeueOnFailure);
    }

    /** A retry: queued as the next attempt after {@code delay}, with {@code message} for people to read. */
    public record Retry(Duration delay, String message) {
    }

    /**
     * Ends runs, then does their jobs' bookkeeping (summary, next scheduled time, a retry where due) and releases
     * their domain leases, in the caller's transaction.
     *
     * @return the runs that were still ours, so were ended; nothing was written for the others
     */
    public static Set<UUID> end(Handle h, List<RunEnd> ends, Retries retries) {
        return end(h, ends, retries, null);
    }

    /** As {@link #end(Handle, List, Retries)}; {@code summary}, if given, is the error the jobs' summaries show. */
    private static Set<UUID> end(Handle h, List<RunEnd> ends, Retries retries, String summary) {
        Set<UUID> mine = new HashSet<>(h.createQuery(END)
                .bindArray("id", UUID.class, ends.stream().map(e -> e.run().runId()).toList())
                .bindArray("owner", UUID.class, ends.stream().map(e -> e.run().leaseOwner()).toList())
                .bindArray("attempt", Integer.class, ends.stream().map(e -> e.run().attempt()).toList())
                .bindArray("state", String.class, ends.stream().map(e -> e.state().name()).toList())
                .bindArray("stats", String.class, ends.stream().map(RunEnd::statsJson).toList())
                .bindArray("progress", String.class, ends.stream().map(RunEnd::progressJson).toList())
                .bindArray("details", String.class, ends.stream().map(RunEnd::detailsJson).toList())
                .bindArray("mode", String.class, ends.stream().map(RunEnd::mode).toList())
                .bindArray("modeReason", String.class, ends.stream().map(RunEnd::modeReason).toList())
                .bindArray("category", String.class, ends.stream().map(e -> e.category() == null ? null : e.category().name()).toList())
                .bindArray("message", String.class, ends.stream().map(RunEnd::message).toList())
                .mapTo(UUID.class).list());
        List<EndedRun> ended = new ArrayList<>();
        for (RunEnd e : ends) {
            if (mine.contains(e.run().runId())) {
                ClaimedRun r = e.run();
                ended.add(new EndedRun(r.runId(), r.jobId(), r.attempt(), r.trigger(), r.scheduledFor(), e.state(),
                        e.category(), summary != null ? summary : e.category() == null ? null : e.category() + ": " + e.message()));
            }
        }
        afterRuns(h, ended, retries);
        return mine;
    }

    /** Abandons runs whose lease expired, with their jobs' bookkeeping: failures, retried at once if asked for. */
    public static List<EndedRun> reap(Handle h, int limit, Retries retries) {
        List<EndedRun> reaped = h.createQuery(REAP).bind("limit", limit)
                .map((rs, ctx) -> new EndedRun(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                        RunTrigger.valueOf(rs.getString(4)), instant(rs, 5), RunState.ABANDONED, null, "ABANDONED: lease expired"))
                .list();
        afterRuns(h, reaped, retries);
        return reaped;
    }

    /**
     * At shutdown, a run still going after the grace period is released: ABANDONED now (not at lease expiry)
     * and queued again at once, whatever requeueOnFailure says, because the job itself did not fail.
     */
    public static boolean releaseAtShutdown(Handle h, ClaimedRun run, String statsJson, String progressJson, String serverName) {
        RunEnd released = new RunEnd(run, RunState.ABANDONED, statsJson, progressJson, "{}", null, null, ErrorCategory.CANCELLED,
                "released: worker " + serverName + " shut down before the run finished; queued again");
        Retry atOnce = new Retry(Duration.ZERO, "requeued: the previous attempt was released when worker " + serverName + " shut down");
        Set<UUID> mine = end(h, List.of(released), (r, requeue) -> Optional.of(atOnce), "released at worker shutdown");
        return !mine.isEmpty();
    }

    /** The run's domain is being synced by another run: back to the queue, visibly, to be tried again shortly. */
    public static boolean defer(Handle h, ClaimedRun run, Duration delay, String message) {
        int deferred = h.createUpdate(DEFER).bind("delay", seconds(delay)).bind("message", message)
                .bind("run", run.runId()).bind("owner", run.leaseOwner()).bind("attempt", run.attempt()).execute();
        if (deferred == 0) {
            return false;
        }
        Optional<JobRow> job = Optional.ofNullable(lockJobs(h, List.of(run.jobId())).get(run.jobId()));
        h.createUpdate(RELEASE_JOB).bind("advance", advances(run.trigger()))
                .bind("nextRunAt", job.flatMap(j -> j.next(run.scheduledFor())).map(Instant::toString).orElse(null))
                .bind("job", run.jobId()).bind("run", run.runId()).execute();
        return true;
    }

    /** A job row locked for the bookkeeping after its run. */
    private record JobRow(Schedule schedule, boolean enabled, boolean requeueOnFailure) {
        Optional<Instant> next(Instant scheduledFor) {
            return enabled ? ScheduleCalculator.nextRun(schedule, scheduledFor, Instant.now()) : Optional.empty();
        }
    }

    private static Map<UUID, JobRow> lockJobs(Handle h, List<UUID> jobIds) {
        Map<UUID, JobRow> jobs = new HashMap<>();
        h.createQuery(LOCK_JOBS).bindArray("jobs", UUID.class, jobIds)
                .map((rs, ctx) -> jobs.put(rs.getObject(1, UUID.class),
                        new JobRow(json(rs.getString(2), Schedule.class), rs.getBoolean(3), rs.getBoolean(4))))
                .list();
        return jobs;
    }

    /** The jobs' side of ended runs: summary and next scheduled time, retries where due, domain leases dropped. */
    private static void afterRuns(Handle h, List<EndedRun> ended, Retries retries) {
        if (ended.isEmpty()) {
            return;
        }
        Map<UUID, JobRow> jobs = lockJobs(h, ended.stream().map(EndedRun::jobId).toList());
        List<EndedRun> summarised = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (EndedRun e : ended) {
            JobRow job = jobs.get(e.jobId());
            if (job == null) {
                continue; // deleted meanwhile
            }
            summarised.add(e);
            next.add(job.next(e.scheduledFor()).map(Instant::toString).orElse(null)); // ISO-8601 in UTC
            retries.after(e, job.requeueOnFailure()).ifPresent(retry -> queueRetry(h, e, retry));
        }
        if (!summarised.isEmpty()) {
            h.createUpdate(AFTER_RUNS)
                    .bindArray("job", UUID.class, summarised.stream().map(EndedRun::jobId).toList())
                    .bindArray("run", UUID.class, summarised.stream().map(EndedRun::runId).toList())
                    .bindArray("state", String.class, summarised.stream().map(e -> e.state().name()).toList())
                    .bindArray("error", String.class, summarised.stream().map(EndedRun::error).toList())
                    .bindArray("advance", Boolean.class, summarised.stream().map(e -> advances(e.trigger())).toList())
                    .bindArray("nextRunAt", String.class, next)
                    .execute();
        }
        DomainLeases.release(h, ended.stream().map(EndedRun::runId).toList());
    }

    private static void queueRetry(Handle h, EndedRun previous, Retry retry) {
        h.createUpdate(QUEUE_RETRY).bind("job", previous.jobId()).bind("attempt", previous.attempt() + 1)
                .bind("delay", seconds(retry.delay())).bind("message", retry.message()).bind("previous", previous.runId())
                .execute();
    }

    private static boolean advances(RunTrigger trigger) {
        return trigger == RunTrigger.SCHEDULE;
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static <T> T json(String text, Class<T> type) {
        try {
            return text == null ? null : JsonColumns.MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " column: " + e.getOriginalMessage(), e);
        }
    }

    /** A value as its jsonb column holds it. */
    public static String json(Object value) {
        try {
            return JsonColumns.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
