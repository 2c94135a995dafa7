package io.adsync.worker.claim;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunResult;
import io.adsync.worker.run.SyncExecutor;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A controllable executor for worker tests: records who ran what and when, and behaves as each test scripts it
 * (succeed after a delay, fail, hang until released or cancelled).
 */
final class ScriptedExecutor implements SyncExecutor {

    record Execution(UUID runId, UUID jobId, List<UUID> domains, String worker, int attempt, Instant start, Instant end) {
    }

    enum Behaviour { SUCCEED, FAIL, HANG }

    final List<Execution> executions = new CopyOnWriteArrayList<>();
    final ConcurrentHashMap<UUID, CountDownLatch> started = new ConcurrentHashMap<>();
    volatile Function<RunContext, Behaviour> script = ctx -> Behaviour.SUCCEED;
    volatile long workMillis = 0;
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public RunResult execute(RunContext ctx) throws Exception {
        Instant start = Instant.now();
        started.computeIfAbsent(ctx.run().jobId(), k -> new CountDownLatch(1)).countDown();
        Behaviour b = script.apply(ctx);
        try {
            if (workMillis > 0) {
                Thread.sleep(workMillis);
            }
            switch (b) {
                case FAIL -> {
                    return RunResult.failure(ErrorCategory.UNREACHABLE, "scripted failure");
                }
                case HANG -> {
                    ctx.committed(new RunStats(7, 0, 0, 0, 0, 0)); // as if one batch had been written
                    while (!release.await(20, TimeUnit.MILLISECONDS)) {
                        ctx.checkCancelled();
                    }
                }
                default -> {
                }
            }
            return RunResult.success(new RunStats(1, 0, 0, 0, 0, 0));
        } finally {
            executions.add(new Execution(ctx.run().runId(), ctx.run().jobId(), ctx.domainIds(), Thread.currentThread().getName(),
                    ctx.run().attempt(), start, Instant.now()));
        }
    }

    boolean awaitStart(UUID jobId, long millis) throws InterruptedException {
        return started.computeIfAbsent(jobId, k -> new CountDownLatch(1)).await(millis, TimeUnit.MILLISECONDS);
    }
}
