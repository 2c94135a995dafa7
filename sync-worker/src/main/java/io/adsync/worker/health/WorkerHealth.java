package io.adsync.worker.health;

import io.adsync.worker.WorkerConfig;
import io.adsync.worker.WorkerLifecycle;
import io.adsync.worker.claim.Worker;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Readiness: the worker has registered its job server (the database check comes with the datasource).
 * Liveness: the claim loop goes round; one stuck for {@code adsync.worker.stuck-after} is restarted by its
 * orchestrator. A worker that is disabled by configuration is ready and live.
 */
public final class WorkerHealth {

    private WorkerHealth() {
    }

    @Readiness
    @ApplicationScoped
    public static class Registered implements HealthCheck {
        private final WorkerLifecycle lifecycle;

        public Registered(WorkerLifecycle lifecycle) {
            this.lifecycle = lifecycle;
        }

        @Override
        public HealthCheckResponse call() {
            Optional<Worker> w = lifecycle.worker();
            var b = HealthCheckResponse.named("job-server-registration");
            if (w.isEmpty()) {
                return b.up().withData("worker", "disabled").build();
            }
            return b.status(w.get().isRegistered() && !w.get().isStopped()).withData("jobServer", w.get().name()).build();
        }
    }

    @Liveness
    @ApplicationScoped
    public static class ClaimLoop implements HealthCheck {
        private final WorkerLifecycle lifecycle;
        private final Duration stuckAfter;

        public ClaimLoop(WorkerLifecycle lifecycle, WorkerConfig config) {
            this.lifecycle = lifecycle;
            this.stuckAfter = config.stuckAfter();
        }

        @Override
        public HealthCheckResponse call() {
            var b = HealthCheckResponse.named("claim-loop");
            Optional<Worker> w = lifecycle.worker();
            if (w.isEmpty() || w.get().isStopped()) {
                return b.up().build();
            }
            Duration since = Duration.between(w.get().lastLoopAt(), Instant.now());
            return b.status(since.compareTo(stuckAfter) < 0).withData("lastLoopSecondsAgo", since.toSeconds()).build();
        }
    }
}
