package io.adsync.worker.claim;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.adsync.common.JsonColumns;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunOptions;
import io.adsync.run.RunState;
import io.adsync.run.RunTrigger;
import io.adsync.schedule.Schedule;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * Every SQL statement the job machinery depends on for correctness, in one place. Times are always the
 * database's {@code now()}, so workers on machines with skewed clocks still agree on who holds a lease.
 * <p>
 * Fencing: a claimed run is owned by {@code (run id, lease_owner, attempt)}; every statement that writes for a
 * run checks all three plus {@code state = 'RUNNING'}. A worker that lost its lease (it stalled past
 * {@code lease_until} and another worker abandoned the run) matches zero rows and stops.
 */
public final class WorkSql {

    private WorkSql() {
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
     * as many rows as it claims, not every due job (one query with an OR read and sorted them all: 5,000 due
     * jobs made each claim ~3-15 ms). The jobs claimed are the earliest due of both lists together (next_run_at
     * or the queued run's not_before). The run and job details come back with the claim (no second query).
     */
    static final String CLAIM = """
            WITH params AS (
                SELECT ?::uuid AS server_id, ?::uuid AS owner, make_interval(secs => ?::double precision) AS lease
            ), allowed AS (
                SELECT 1 FROM job_server s JOIN params p ON s.id = p.server_id WHERE s.can_be_job_server
            ), scheduled AS (
                SELECT j.id AS job_id, j.next_run_at, j.next_run_at AS due_at
                  FROM sync_job j
                 WHERE j.enabled AND j.current_run_id IS NULL AND j.next_run_at <= now() AND EXISTS (SELECT 1 FROM allowed)
                 ORDER BY j.next_run_at
                 LIMIT ?
                 FOR UPDATE OF j SKIP LOCKED
            ), queued AS (
                SELECT j.id AS job_id, j.next_run_at, r.not_before AS due_at
                  FROM job_run r JOIN sync_job j ON j.id = r.job_id
                 WHERE r.state = 'QUEUED' AND r.not_before <= now() AND j.current_run_id IS NULL
                   AND EXISTS (SELECT 1 FROM allowed)
                 ORDER BY r.not_before
                 LIMIT ?
                 FOR UPDATE OF j SKIP LOCKED
            ), due AS (
                SELECT u.job_id, min(u.next_run_at) AS next_run_at,
                       (SELECT r.id FROM job_run r
                         WHERE r.job_id = u.job_id AND r.state = 'QUEUED' AND r.not_before <= now()
                         ORDER BY r.not_before, r.created_at LIMIT 1) AS queued_run_id
                  FROM (SELECT * FROM scheduled UNION ALL SELECT * FROM queued) u
                 GROUP BY u.job_id
                 ORDER BY min(u.due_at)
                 LIMIT ?
            ), promoted AS (
                UPDATE job_run r
                   SET state = 'RUNNING', job_server_id = p.server_id, lease_owner = p.owner,
                       lease_until = now() + p.lease, started_at = now(), message = NULL, version = r.version + 1
                  FROM due d, params p
                 WHERE r.id = d.queued_run_id AND r.state = 'QUEUED'
                RETURNING r.id, r.job_id, r.attempt, r.trigger, r.scheduled_for, r.options
            ), inserted AS (
                INSERT INTO job_run (id, job_id, attempt, trigger, state, job_server_id, lease_owner, lease_until,
                                     not_before, scheduled_for, created_at, started_at)
                SELECT gen_random_uuid(), d.job_id, 1, 'SCHEDULE', 'RUNNING', p.server_id, p.owner, now() + p.lease,
                       d.next_run_at, d.next_run_at, now(), now()
                  FROM due d, params p
                 WHERE d.queued_run_id IS NULL
                RETURNING id, job_id, attempt, trigger, scheduled_for, options
            ), claimed AS (
                SELECT * FROM promoted UNION ALL SELECT * FROM inserted
            )
            UPDATE sync_job j SET current_run_id = c.id
              FROM claimed c, params p
             WHERE j.id = c.job_id
            RETURNING c.id, c.job_id, c.attempt, c.trigger, c.scheduled_for, p.owner, c.options::text,
                      j.name, j.domain_id, j.sync_all_domains, j.requeue_on_failure, j.schedule::text,
                      j.max_deactivations, j.max_deactivation_percent
            """;

    /**
     * Takes the domain leases of freshly claimed single-domain runs in the claim's own transaction, so the common
     * run needs no transaction of its own before it starts (the claim is the fence: the runs were made RUNNING
     * under our lease in this very transaction). One run per domain at most (two claimed jobs may share one);
     * a run whose domain is leased to another live run is not returned and takes the usual path (it waits, see
     * RunSupervisor). Domains are taken in id order, like ACQUIRE_DOMAINS, so two claims never deadlock.
     */
    static final String LEASE_CLAIMED_DOMAINS = """
            INSERT INTO domain_lease (domain_id, run_id, lease_until)
            SELECT DISTINCT ON (t.domain_id) t.domain_id, t.run_id, now() + make_interval(secs => ?::double precision)
              FROM unnest(?::uuid[], ?::uuid[]) AS t(run_id, domain_id)
             ORDER BY t.domain_id, t.run_id
            ON CONFLICT (domain_id) DO UPDATE SET run_id = excluded.run_id, lease_until = excluded.lease_until
             WHERE domain_lease.lease_until < now() OR domain_lease.run_id = excluded.run_id
            RETURNING run_id
            """;

    /** Extends the lease and publishes progress; returns empty if the lease is no longer ours. */
    static final String HEARTBEAT_RUN = """
            UPDATE job_run SET lease_until = now() + make_interval(secs => ?::double precision), progress = ?::jsonb
             WHERE id = ? AND lease_owner = ? AND attempt = ? AND state = 'RUNNING'
            RETURNING cancel_requested
            """;

    /** Extends the run's domain leases, locked in domain id order like everywhere else (see RELEASE_DOMAINS). */
    static final String HEARTBEAT_DOMAINS = """
            UPDATE domain_lease SET lease_until = now() + make_interval(secs => ?::double precision)
             WHERE domain_id IN (SELECT domain_id FROM domain_lease WHERE run_id = ? ORDER BY domain_id FOR UPDATE)
            """;

    /**
     * The write fence, first statement of every write transaction of a run: share-locks the run row while the
     * lease is valid, so no one can abandon the run until this transaction commits.
     */
    static final String FENCE = """
            SELECT 1 FROM job_run
             WHERE id = ? AND lease_owner = ? AND attempt = ? AND state = 'RUNNING' AND lease_until > now()
               FOR SHARE
            """;

    /**
     * Takes the lease of every domain a run touches, all or nothing (the caller rolls back on a partial result).
     * A lease held by another live run is left alone; an expired one is taken over. In domain id order, as
     * LEASE_CLAIMED_DOMAINS does, so that transactions waiting on each other's leases always wait in one direction.
     */
    static final String ACQUIRE_DOMAINS = """
            INSERT INTO domain_lease (domain_id, run_id, lease_until)
            SELECT d, ?, now() + make_interval(secs => ?::double precision) FROM unnest(?::uuid[]) AS d ORDER BY d
            ON CONFLICT (domain_id) DO UPDATE SET run_id = excluded.run_id, lease_until = excluded.lease_until
             WHERE domain_lease.lease_until < now() OR domain_lease.run_id = excluded.run_id
            RETURNING domain_id
            """;

    /**
     * Ends runs (each fenced on its own token); one statement for a batch of runs that ended at about the same
     * time, so that ending a run costs a row, not a transaction. Returns the runs that were still ours.
     */
    static final String END_RUNS = """
            UPDATE job_run r
               SET state = t.state, finished_at = now(), lease_until = NULL, stats = t.stats::jsonb,
                   progress = t.progress::jsonb, details = t.details::jsonb, mode = t.mode, mode_reason = t.mode_reason,
                   error_category = t.category, error_message = t.message, version = r.version + 1
              FROM unnest(?::uuid[], ?::uuid[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[])
                   AS t(id, owner, attempt, state, stats, progress, details, mode, mode_reason, category, message)
             WHERE r.id = t.id AND r.lease_owner = t.owner AND r.attempt = t.attempt AND r.state = 'RUNNING'
            RETURNING r.id
            """;

    /** Locks the jobs of ended runs for their bookkeeping, in id order (two batches never wait in a circle). */
    static final String LOCK_JOBS = """
            SELECT id, schedule::text, enabled, requeue_on_failure FROM sync_job WHERE id = ANY(?) ORDER BY id FOR UPDATE
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
                   next_run_at = CASE WHEN t.advance THEN t.next_run_at ELSE j.next_run_at END
              FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::boolean[], ?::timestamptz[])
                   AS t(job_id, run_id, state, error, advance, next_run_at)
             WHERE j.id = t.job_id
            """;

    /**
     * Drops the domain leases of ended runs, locking them in domain id order first, as they are taken: a claim
     * waiting for one of these domains while holding another could otherwise deadlock with us.
     */
    static final String RELEASE_DOMAINS = """
            DELETE FROM domain_lease WHERE domain_id IN (
                SELECT domain_id FROM domain_lease WHERE run_id = ANY(?) ORDER BY domain_id FOR UPDATE)
            """;

    /** Puts a claimed run back in the queue (fenced): its domain is busy, it will be tried again shortly. */
    static final String DEFER_RUN = """
            UPDATE job_run
               SET state = 'QUEUED', not_before = now() + make_interval(secs => ?::double precision), message = ?,
                   lease_owner = NULL, lease_until = NULL, job_server_id = NULL, started_at = NULL,
                   version = version + 1
             WHERE id = ? AND lease_owner = ? AND attempt = ? AND state = 'RUNNING'
            """;

    /**
     * The reaper: runs whose lease expired (their worker died or stalled) become ABANDONED. Any worker may do
     * this; SKIP LOCKED keeps two reapers, or a reaper and a fenced write, from colliding.
     */
    static final String REAP_EXPIRED = """
            WITH expired AS (
                SELECT id FROM job_run WHERE state = 'RUNNING' AND lease_until < now()
                 ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED
            )
            UPDATE job_run r
               SET state = 'ABANDONED', finished_at = now(), lease_until = NULL, version = r.version + 1,
                   error_message = 'lease expired at ' || r.lease_until || ': its worker stopped heartbeating (crashed or stalled)'
              FROM expired e
             WHERE r.id = e.id
            RETURNING r.id, r.job_id, r.attempt, r.trigger, r.scheduled_for, r.started_at
            """;

    public record ServerRow(UUID id, boolean canBeJobServer) {
    }

    public record JobRow(Schedule schedule, boolean enabled, boolean requeueOnFailure) {
    }

    /** How a run ended, as END_RUNS writes it (the JSON columns already serialised). */
    public record RunEnd(ClaimedRun run, RunState state, String statsJson, String progressJson, String detailsJson,
                         String mode, String modeReason, ErrorCategory category, String message) {
    }

    /** The job's side of a run's end, as AFTER_RUNS writes it. */
    public record JobAfterRun(UUID jobId, UUID runId, RunState state, String error, boolean advanceSchedule,
                              Instant nextRunAt) {
    }

    /** A finished run, as the bookkeeping after it needs it. */
    public record EndedRun(UUID runId, UUID jobId, int attempt, RunTrigger trigger, Instant scheduledFor,
                           Instant startedAt) {
    }

    // ---- job servers -------------------------------------------------------------------------------------

    /** Registers (or re-registers) a job server by name; an existing row keeps its canBeJobServer flag. */
    public static ServerRow registerServer(Connection c, String name, boolean canBeJobServer, String softwareVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_server (id, name, can_be_job_server, last_heartbeat_at, software_version, started_at, created_at)
                VALUES (gen_random_uuid(), ?, ?, now(), ?, now(), now())
                ON CONFLICT (name) DO UPDATE
                   SET last_heartbeat_at = now(), software_version = excluded.software_version, started_at = now()
                RETURNING id, can_be_job_server
                """)) {
            ps.setString(1, name);
            ps.setBoolean(2, canBeJobServer);
            ps.setString(3, softwareVersion);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ServerRow(rs.getObject(1, UUID.class), rs.getBoolean(2));
            }
        }
    }

    /** @return the server's current canBeJobServer flag, or empty if the row was deleted */
    public static Optional<Boolean> heartbeatServer(Connection c, UUID serverId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE job_server SET last_heartbeat_at = now() WHERE id = ? RETURNING can_be_job_server")) {
            ps.setObject(1, serverId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    /** A cleanly stopped worker shows OFFLINE at once instead of after its heartbeat goes stale. */
    public static void markServerStopped(Connection c, UUID serverId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE job_server SET last_heartbeat_at = NULL WHERE id = ?")) {
            ps.setObject(1, serverId);
            ps.executeUpdate();
        }
    }

    // ---- claim and lease ---------------------------------------------------------------------------------

    public static List<ClaimedRun> claim(Connection c, UUID serverId, UUID owner, Duration lease, int limit) throws SQLException {
        List<ClaimedRun> claimed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, serverId);
            ps.setObject(2, owner);
            ps.setDouble(3, seconds(lease));
            ps.setInt(4, limit);
            ps.setInt(5, limit);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new ClaimedRun(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                            RunTrigger.valueOf(rs.getString(4)), instant(rs.getTimestamp(5)), rs.getObject(6, UUID.class),
                            json(rs.getString(7), RunOptions.class), rs.getString(8), rs.getObject(9, UUID.class),
                            rs.getBoolean(10), rs.getBoolean(11), json(rs.getString(12), Schedule.class), rs.getInt(13),
                            rs.getInt(14)));
                }
            }
        }
        return claimed;
    }

    /**
     * In the claim's transaction: leases the domain of each single-domain run just claimed.
     *
     * @return the runs that now hold their domain's lease
     */
    public static Set<UUID> leaseClaimedDomains(Connection c, List<ClaimedRun> claimed, Duration lease) throws SQLException {
        List<UUID> runs = new ArrayList<>();
        List<UUID> domains = new ArrayList<>();
        for (ClaimedRun r : claimed) {
            if (!r.syncAllDomains() && r.domainId() != null) {
                runs.add(r.runId());
                domains.add(r.domainId());
            }
        }
        if (runs.isEmpty()) {
            return Set.of();
        }
        Set<UUID> held = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(LEASE_CLAIMED_DOMAINS)) {
            ps.setDouble(1, seconds(lease));
            ps.setArray(2, uuids(c, runs));
            ps.setArray(3, uuids(c, domains));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return held;
    }

    /** @return whether cancellation was requested, or empty if the lease is no longer ours */
    public static Optional<Boolean> heartbeatRun(Connection c, ClaimedRun run, Duration lease, String progressJson) throws SQLException {
        Optional<Boolean> result;
        try (PreparedStatement ps = c.prepareStatement(HEARTBEAT_RUN)) {
            ps.setDouble(1, seconds(lease));
            ps.setString(2, progressJson);
            setFence(ps, 3, run);
            try (ResultSet rs = ps.executeQuery()) {
                result = rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
        if (result.isPresent()) {
            try (PreparedStatement ps = c.prepareStatement(HEARTBEAT_DOMAINS)) {
                ps.setDouble(1, seconds(lease));
                ps.setObject(2, run.runId());
                ps.executeUpdate();
            }
        }
        return result;
    }

    public static boolean fence(Connection c, ClaimedRun run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FENCE)) {
            setFence(ps, 1, run);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** @return true if every domain's lease was taken; on false the caller must roll back */
    public static boolean acquireDomains(Connection c, UUID runId, List<UUID> domainIds, Duration lease) throws SQLException {
        if (domainIds.isEmpty()) {
            return true;
        }
        int taken = 0;
        try (PreparedStatement ps = c.prepareStatement(ACQUIRE_DOMAINS)) {
            ps.setObject(1, runId);
            ps.setDouble(2, seconds(lease));
            ps.setArray(3, uuids(c, domainIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken++;
                }
            }
        }
        return taken == domainIds.size();
    }

    /** Who holds the domains, for the waiting run's message: "corp.example.com (run …)". */
    public static String domainHolders(Connection c, List<UUID> domainIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT d.name || ' (run ' || l.run_id || ')' FROM domain_lease l JOIN ad_domain d ON d.id = l.domain_id
                 WHERE l.domain_id = ANY(?) AND l.lease_until >= now() ORDER BY d.name
                """)) {
            ps.setArray(1, uuids(c, domainIds));
            List<String> holders = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    holders.add(rs.getString(1));
                }
            }
            return String.join(", ", holders);
        }
    }

    public static void releaseDomains(Connection c, UUID runId) throws SQLException {
        releaseDomains(c, List.of(runId));
    }

    public static void releaseDomains(Connection c, List<UUID> runIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RELEASE_DOMAINS)) {
            ps.setArray(1, uuids(c, runIds));
            ps.executeUpdate();
        }
    }

    /** The domains a run touches: its one domain, or every registered domain (sorted by name) for "sync all". */
    public static List<UUID> domainsOf(Connection c, ClaimedRun run) throws SQLException {
        if (!run.syncAllDomains()) {
            return run.domainId() == null ? List.of() : List.of(run.domainId());
        }
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ad_domain ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    // ---- ending runs -------------------------------------------------------------------------------------

    /** @return false if the lease was no longer ours (nothing was written) */
    public static boolean endRun(Connection c, RunEnd end) throws SQLException {
        return !endRuns(c, List.of(end)).isEmpty();
    }

    /** @return the runs that were still ours, so were ended; nothing was written for the others */
    public static Set<UUID> endRuns(Connection c, List<RunEnd> ends) throws SQLException {
        int n = ends.size();
        Object[][] cols = new Object[11][n];
        for (int i = 0; i < n; i++) {
            RunEnd e = ends.get(i);
            Object[] row = {e.run().runId(), e.run().leaseOwner(), e.run().attempt(), e.state().name(), e.statsJson(),
                    e.progressJson(), e.detailsJson(), e.mode(), e.modeReason(),
                    e.category() == null ? null : e.category().name(), e.message()};
            for (int col = 0; col < row.length; col++) {
                cols[col][i] = row[col];
            }
        }
        String[] types = {"uuid", "uuid", "int4", "text", "text", "text", "text", "text", "text", "text", "text"};
        Set<UUID> ended = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(END_RUNS)) {
            for (int col = 0; col < types.length; col++) {
                ps.setArray(col + 1, c.createArrayOf(types[col], cols[col]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ended.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ended;
    }

    public static boolean deferRun(Connection c, ClaimedRun run, Duration delay, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DEFER_RUN)) {
            ps.setDouble(1, seconds(delay));
            ps.setString(2, message);
            setFence(ps, 3, run);
            return ps.executeUpdate() == 1;
        }
    }

    public static List<EndedRun> reapExpired(Connection c, int limit) throws SQLException {
        List<EndedRun> reaped = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(REAP_EXPIRED)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reaped.add(new EndedRun(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                            RunTrigger.valueOf(rs.getString(4)), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))));
                }
            }
        }
        return reaped;
    }

    /** Locks the job row for the bookkeeping after a run; empty if the job was deleted meanwhile. */
    public static Optional<JobRow> lockJob(Connection c, UUID jobId) throws SQLException {
        return Optional.ofNullable(lockJobs(c, List.of(jobId)).get(jobId));
    }

    /** Locks the job rows for the bookkeeping after runs; a job deleted meanwhile is missing from the map. */
    public static Map<UUID, JobRow> lockJobs(Connection c, List<UUID> jobIds) throws SQLException {
        Map<UUID, JobRow> jobs = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_JOBS)) {
            ps.setArray(1, uuids(c, jobIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.put(rs.getObject(1, UUID.class),
                            new JobRow(json(rs.getString(2), Schedule.class), rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
        }
        return jobs;
    }

    public static void afterRun(Connection c, JobAfterRun after) throws SQLException {
        afterRuns(c, List.of(after));
    }

    public static void afterRuns(Connection c, List<JobAfterRun> afters) throws SQLException {
        int n = afters.size();
        Object[] jobs = new Object[n];
        Object[] runs = new Object[n];
        Object[] states = new Object[n];
        Object[] errors = new Object[n];
        Object[] advance = new Object[n];
        Object[] next = new Object[n];
        for (int i = 0; i < n; i++) {
            JobAfterRun a = afters.get(i);
            jobs[i] = a.jobId();
            runs[i] = a.runId();
            states[i] = a.state().name();
            errors[i] = a.error();
            advance[i] = a.advanceSchedule();
            next[i] = a.nextRunAt() == null ? null : a.nextRunAt().toString(); // ISO-8601 in UTC, read as timestamptz
        }
        try (PreparedStatement ps = c.prepareStatement(AFTER_RUNS)) {
            ps.setArray(1, c.createArrayOf("uuid", jobs));
            ps.setArray(2, c.createArrayOf("uuid", runs));
            ps.setArray(3, c.createArrayOf("text", states));
            ps.setArray(4, c.createArrayOf("text", errors));
            ps.setArray(5, c.createArrayOf("bool", advance));
            ps.setArray(6, c.createArrayOf("text", next));
            ps.executeUpdate();
        }
    }

    /** Frees the job of a deferred run; a deferred scheduled run takes its slot, so the schedule advances. */
    public static void releaseJob(Connection c, UUID jobId, UUID runId, boolean advanceSchedule, Instant nextRunAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE sync_job SET current_run_id = NULL, next_run_at = CASE WHEN ? THEN ? ELSE next_run_at END
                 WHERE id = ? AND current_run_id = ?
                """)) {
            ps.setBoolean(1, advanceSchedule);
            ps.setTimestamp(2, nextRunAt == null ? null : Timestamp.from(nextRunAt));
            ps.setObject(3, jobId);
            ps.setObject(4, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Queues the next attempt of a job as a RETRY run. It inherits the options of the attempt it retries, so a
     * retried {"mode":"FULL"} or allowMassDeactivation run is still one.
     */
    public static UUID queueRetry(Connection c, UUID jobId, UUID previousRunId, int attempt, Duration delay, String message) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job_run (id, job_id, attempt, trigger, state, not_before, created_at, message, options)
                VALUES (?, ?, ?, 'RETRY', 'QUEUED', now() + make_interval(secs => ?::double precision), now(), ?,
                        COALESCE((SELECT options FROM job_run WHERE id = ?), '{}'::jsonb))
                """)) {
            ps.setObject(1, id);
            ps.setObject(2, jobId);
            ps.setInt(3, attempt);
            ps.setDouble(4, seconds(delay));
            ps.setString(5, message);
            ps.setObject(6, previousRunId);
            ps.executeUpdate();
        }
        return id;
    }

    /** How long until something may become due; the idle claim loop sleeps no longer than this. */
    public static Optional<Duration> untilNextDue(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT EXTRACT(EPOCH FROM (LEAST(
                         (SELECT min(next_run_at) FROM sync_job WHERE enabled AND current_run_id IS NULL),
                         (SELECT min(not_before) FROM job_run WHERE state = 'QUEUED'),
                         (SELECT min(lease_until) FROM job_run WHERE state = 'RUNNING')) - now()))
                """);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            double secs = rs.getDouble(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(Math.max(0, (long) (secs * 1000))));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static void setFence(PreparedStatement ps, int from, ClaimedRun run) throws SQLException {
        ps.setObject(from, run.runId());
        ps.setObject(from + 1, run.leaseOwner());
        ps.setInt(from + 2, run.attempt());
    }

    private static Array uuids(Connection c, List<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static <T> T json(String text, Class<T> type) {
        try {
            return text == null ? null : JsonColumns.MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " column: " + e.getOriginalMessage(), e);
        }
    }

    public static String toJson(Object value) {
        try {
            return JsonColumns.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
