package io.adsync.worker;

import io.adsync.worker.claim.WorkerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/** {@code adsync.worker.*} configuration; every key has a safe default. See {@link WorkerSettings} for meanings. */
@ConfigMapping(prefix = "adsync.worker")
public interface WorkerConfig {

    /** Start the claim loop at boot. */
    @WithDefault("true")
    boolean enabled();

    /** Job-server name; defaults to the host name (the pod name in Kubernetes). */
    Optional<String> serverName();

    @WithDefault("true")
    boolean canBeJobServer();

    @WithDefault("2")
    int concurrency();

    @WithDefault("30s")
    Duration lease();

    @WithDefault("5s")
    Duration serverHeartbeat();

    @WithDefault("250ms")
    Duration pollMin();

    @WithDefault("5s")
    Duration pollMax();

    @WithDefault("30s")
    Duration shutdownGrace();

    @WithDefault("5s")
    Duration domainBusyDelay();

    /** Liveness: a claim loop that has not gone round for this long is reported DOWN (and restarted). */
    @WithDefault("2m")
    Duration stuckAfter();

    Retry retry();

    interface Retry {
        @WithDefault("30s")
        Duration initial();

        @WithDefault("30m")
        Duration max();

        @WithDefault("5")
        int maxAttempts();

        @WithDefault("0.2")
        double jitter();
    }

    default WorkerSettings toSettings() {
        return toSettings(serverName().orElseGet(WorkerConfig::hostName));
    }

    /** These settings for a worker of another name (tests run several in one JVM). */
    default WorkerSettings toSettings(String serverName) {
        return new WorkerSettings(serverName, canBeJobServer(), concurrency(), lease(),
                serverHeartbeat(), pollMin(), pollMax(), shutdownGrace(), retry().initial(), retry().max(),
                retry().maxAttempts(), retry().jitter(), domainBusyDelay());
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
