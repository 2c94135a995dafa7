package io.adsync.worker.claim;

import io.adsync.common.JdbiFactory;
import io.adsync.run.ledger.ClaimedRun;
import io.adsync.run.ledger.DomainLeases;
import io.adsync.run.ledger.RunLedger;
import io.adsync.worker.db.Tx;
import io.adsync.worker.run.RetryPolicy;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunOutcomes;
import io.adsync.worker.run.SyncExecutor;
import io.adsync.worker.server.JobServers;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One sync worker: registers its job server, then claims due runs (up to its concurrency), executes them,
 * heartbeats their leases, and reaps runs abandoned by dead workers. Idle, it sleeps (adaptive backoff up to
 * pollMax, or until the next known due time) and is woken early by LISTEN/NOTIFY or a freed slot.
 * Plain class: the app runs one; tests and benchmarks run several in one JVM.
 */
public final class Worker {

    private static final Logger LOG = Logger.getLogger(Worker.class);

    private final Jdbi jdbi;
    private final WorkerSettings settings;
    private final WorkerMetrics metrics;
    private final RunOutcomes outcomes;
    private final RunSupervisor supervisor;
    private final WakeupListener listener;
    private final String softwareVersion;
    private final UUID leaseOwner = UUID.randomUUID();
    private final Semaphore slots;
    private final Semaphore wake = new Semaphore(0);
    private final Map<UUID, ActiveRun> active = new ConcurrentHashMap<>();

    private ExecutorService runs;
    private ScheduledExecutorService timers;
    private Thread loop;
    private Thread listenThread;
    private volatile UUID serverId;
    private volatile boolean claiming = true;
    private volatile boolean stopped;
    private volatile Instant lastLoopAt = Instant.now();
    /** The last claim filled every free slot: more is probably due, claim again once {@code batch} slots are free. */
    private volatile boolean backlog;
    private final int batch;
    private long lastReap = System.nanoTime() - Duration.ofDays(1).toNanos();

    public Worker(DataSource ds, DatabaseAddress db, WorkerSettings settings, SyncExecutor executor, WorkerMetrics metrics,
                  String softwareVersion) {
        this.jdbi = JdbiFactory.create(ds);
        this.settings = settings;
        this.metrics = metrics;
        this.softwareVersion = softwareVersion;
        this.slots = new Semaphore(settings.concurrency());
        this.batch = Math.max(1, settings.concurrency() / 2);
        this.outcomes = new RunOutcomes(jdbi, new RetryPolicy(settings.retryInitial(), settings.retryMax(), settings.retryJitter(),
                settings.retryMaxAttempts()), settings.lease());
        this.supervisor = new RunSupervisor(jdbi, executor, outcomes, metrics, settings.lease(), settings.domainBusyDelay());
        this.listener = db == null ? null : new WakeupListener(db.jdbcUrl(), db.user(), db.password(), this::wakeUp, this::cancelLocal);
    }

    /** Registers the job server (retrying while the database is unreachable) and starts claiming. */
    public synchronized void start() {
        String name = settings.serverName();
        runs = Executors.newFixedThreadPool(settings.concurrency(), Thread.ofPlatform().name("sync-run-" + name + "-", 0).factory());
        timers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("sync-timer-" + name).daemon().factory());
        loop = Thread.ofPlatform().name("claim-loop-" + name).start(this::loop);
        if (listener != null) {
            listenThread = Thread.ofPlatform().name("listen-" + name).daemon().start(listener);
        }
        long serverMs = settings.serverHeartbeat().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeatServer, serverMs, serverMs, TimeUnit.MILLISECONDS);
        long runMs = settings.runHeartbeat().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeatRuns, runMs, runMs, TimeUnit.MILLISECONDS);
    }

    public UUID serverId() {
        return serverId;
    }

    public String name() {
        return settings.serverName();
    }

    public WorkerSettings settings() {
        return settings;
    }

    /** Runs executing here now. */
    public Collection<UUID> activeRunIds() {
        return List.copyOf(active.keySet());
    }

    /** When the claim loop last went round; liveness flags a loop stuck for long. */
    public Instant lastLoopAt() {
        return lastLoopAt;
    }

    public boolean isRegistered() {
        return serverId != null;
    }

    public boolean isStopped() {
        return stopped;
    }

    public void wakeUp() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * Graceful stop (SIGTERM): stop claiming, give running syncs {@code shutdownGrace} to finish, then release
     * the rest (ABANDONED and queued again at once, not left for lease expiry) and mark the server stopped.
     */
    public void stop() {
        claiming = false;
        wakeUp();
        awaitLoop();
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        for (ActiveRun a : List.copyOf(active.values())) {
            release(a);
        }
        stopped = true;
        shutdownThreads();
        if (serverId != null) {
            try {
                Tx.run(jdbi, h -> {
                    JobServers.markStopped(h, serverId);
                    return null;
                });
            } catch (SQLException e) {
                LOG.warnf("could not mark job server %s stopped: %s", name(), e.getMessage());
            }
        }
        LOG.infof("worker %s stopped", name());
    }

    /**
     * Dies like kill -9, for tests: every thread stops at once and nothing more is written by this worker, so its
     * runs are left RUNNING until their leases expire.
     */
    public void crash() {
        claiming = false;
        stopped = true;
        for (ActiveRun a : active.values()) {
            a.released = true;
            a.ctx.cancel("worker crashed");
        }
        shutdownThreads();
    }

    private void release(ActiveRun a) {
        a.released = true;
        a.ctx.cancel("worker " + name() + " is shutting down");
        try {
            if (a.ctx.exclusively(() -> outcomes.releaseForShutdown(a.run, a.ctx.progress(), a.ctx.committedStats(), name()))) {
                LOG.infof("released run %s at shutdown; it is queued again", a.run.runId());
            }
        } catch (SQLException e) {
            LOG.warnf("could not release run %s (%s); its lease will expire instead", a.run.runId(), e.getMessage());
        }
        if (a.task != null) {
            a.task.cancel(true);
        }
    }

    /**
     * Claims while slots are free and something is due. With a backlog (the last claim filled every free slot)
     * the next claim waits until half the slots are free again (a run ending then wakes the loop), or pollMin has
     * passed: claims come in batches instead of one per finished run, while a slot freed by a long sync is
     * refilled within pollMin.
     */
    private void loop() {
        Duration idle = settings.pollMin();
        long lastClaim = 0;
        while (claiming) {
            lastLoopAt = Instant.now();
            try {
                if (serverId == null) {
                    register();
                }
                reapIfDue();
                int free = slots.availablePermits();
                long sinceClaim = System.nanoTime() - lastClaim;
                if (free == 0 || (backlog && free < batch && sinceClaim < settings.pollMin().toNanos())) {
                    await(free == 0 ? settings.pollMin() : Duration.ofNanos(settings.pollMin().toNanos() - sinceClaim));
                    continue;
                }
                int claimed = claim(free);
                lastClaim = System.nanoTime();
                backlog = claimed == free;
                if (backlog) {
                    idle = settings.pollMin();
                    continue;
                }
                idle = claimed > 0 ? settings.pollMin() : min(idle.multipliedBy(2), settings.pollMax());
                Duration wait = min(idle, Tx.run(jdbi, RunLedger::untilNextDue).orElse(idle));
                await(wait);
            } catch (SQLException e) {
                LOG.warnf("worker %s: database unavailable (%s); retrying", name(), e.getMessage());
                idle = settings.pollMax();
                await(idle);
            } catch (RuntimeException e) {
                LOG.errorf(e, "worker %s: claim loop error", name());
                await(settings.pollMax());
            }
        }
    }

    private void register() throws SQLException {
        JobServers.Registration row = Tx.run(jdbi, h -> JobServers.register(h, settings.serverName(), settings.canBeJobServer(), softwareVersion));
        serverId = row.id();
        LOG.infof("worker %s registered as job server %s (canBeJobServer=%s)", name(), serverId, row.canBeJobServer());
    }

    private int claim(int free) throws SQLException {
        long t0 = System.nanoTime();
        Set<UUID> domainHeld = new HashSet<>();
        List<ClaimedRun> claimed;
        try {
            claimed = Tx.run(jdbi, h -> {
                List<ClaimedRun> runs = RunLedger.claim(h, serverId, leaseOwner, settings.lease(), free);
                domainHeld.addAll(DomainLeases.leaseClaimed(h, runs, settings.lease()));
                return runs;
            });
        } catch (SQLException e) {
            metrics.claimFailed();
            throw e;
        }
        metrics.claimTook(System.nanoTime() - t0);
        for (ClaimedRun run : claimed) {
            slots.acquireUninterruptibly();
            ActiveRun a = new ActiveRun(run, new RunContext(run, jdbi), domainHeld.contains(run.runId()));
            active.put(run.runId(), a);
            a.task = runs.submit(() -> {
                try {
                    supervisor.supervise(a);
                } finally {
                    active.remove(run.runId());
                    slots.release();
                    if (!backlog || slots.availablePermits() >= batch) {
                        wakeUp(); // with a backlog and fewer free slots the loop would only go back to sleep
                    }
                }
            });
        }
        return claimed.size();
    }

    /** Abandons runs whose lease expired; at most once per pollMin, however busy the loop is. */
    private void reapIfDue() throws SQLException {
        long now = System.nanoTime();
        if (now - lastReap < settings.pollMin().toNanos()) {
            return;
        }
        lastReap = now;
        for (RunLedger.EndedRun r : outcomes.reap(100)) {
            LOG.warnf("run %s of job %s was abandoned (lease expired); worker %s took it over", r.runId(), r.jobId(), name());
        }
    }

    private void heartbeatServer() {
        if (stopped || serverId == null) {
            return;
        }
        try {
            var flag = Tx.run(jdbi, h -> JobServers.heartbeat(h, serverId));
            if (flag.isEmpty()) {
                serverId = null; // deleted through the API while we run: register again
            }
            wakeUp();
        } catch (SQLException e) {
            LOG.debugf("server heartbeat failed: %s", e.getMessage());
        }
    }

    private void heartbeatRuns() {
        for (ActiveRun a : active.values()) {
            if (a.released) {
                continue;
            }
            try {
                var cancel = Tx.run(jdbi, h -> RunLedger.heartbeat(h, a.run, settings.lease(), RunLedger.json(a.ctx.progress())));
                if (cancel.isEmpty()) {
                    a.ctx.cancel("lease lost");
                } else if (cancel.get()) {
                    a.ctx.cancel("cancelled by user");
                }
            } catch (SQLException e) {
                LOG.debugf("heartbeat of run %s failed: %s", a.run.runId(), e.getMessage());
            }
        }
    }

    private void cancelLocal(UUID runId) {
        ActiveRun a = active.get(runId);
        if (a != null) {
            a.ctx.cancel("cancelled by user");
        }
    }

    private void await(Duration d) {
        try {
            if (wake.tryAcquire(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claiming = false;
        }
    }

    private void awaitLoop() {
        if (loop != null) {
            try {
                loop.join(settings.pollMax().toMillis() + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void shutdownThreads() {
        if (listener != null) {
            listener.stop();
        }
        if (loop != null) {
            loop.interrupt();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (runs != null) {
            runs.shutdownNow();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
