package io.adsync.api.console;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions ended by Sign out. The session cookie is stateless (Quarkus form authentication encrypts the principal
 * and an expiry into it), so clearing it in the browser alone would leave a copy of the old cookie valid until its
 * idle timeout. Every sign-in therefore puts a random session id into the principal
 * ({@link ConsoleIdentityProviders}), and Sign out records that id here: a cookie naming it no longer restores a
 * session. An entry is kept for the idle timeout (plus a minute): by then every cookie of that session has expired
 * anyway, so the set stays small.
 * <p>
 * The set lives in this process. With several API replicas a signed-out cookie replayed against another replica
 * still works until its idle timeout (at most {@code quarkus.http.auth.form.timeout}, 30 minutes); the browser
 * itself has dropped it.
 */
@ApplicationScoped
public class ConsoleSignOuts {

    private final Map<String, Instant> ended = new ConcurrentHashMap<>();

    @ConfigProperty(name = "quarkus.http.auth.form.timeout", defaultValue = "PT30M")
    Duration timeout;

    void end(String sessionId) {
        Instant now = Instant.now();
        ended.values().removeIf(until -> until.isBefore(now));
        ended.put(sessionId, now.plus(timeout).plus(Duration.ofMinutes(1)));
    }

    boolean ended(String sessionId) {
        Instant until = ended.get(sessionId);
        return until != null && until.isAfter(Instant.now());
    }
}
