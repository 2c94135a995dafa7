package io.adsync.api.console;

import io.adsync.api.common.ApiKeys;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The console's sign-in, through Quarkus form authentication ({@code quarkus.http.auth.form.*}, console paths only):
 * <ul>
 *   <li>{@link SignIn}: the sign-in form posts the API key as the password (the user name is a fixed hidden field);
 *       the key is checked exactly as a bearer key is ({@link ApiKeys}: SHA-256, constant-time compare).</li>
 *   <li>{@link Session}: on every later request Quarkus decrypts its session cookie and asks for the identity of the
 *       principal stored in it, {@code console-<role>-<fingerprint>-<session id>}. The fingerprint names the key
 *       (without revealing it); a key removed from {@code adsync.api-keys} no longer restores a session. The
 *       session id is random per sign-in; Sign out ends it ({@link ConsoleSignOuts}).</li>
 * </ul>
 */
public final class ConsoleIdentityProviders {

    static final String PREFIX = "console-";

    private ConsoleIdentityProviders() {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    static SecurityIdentity identity(ApiKeys.Role role, String fingerprint, String sessionId) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(PREFIX + role.name() + "-" + fingerprint + "-" + sessionId))
                .addRole(role.name())
                .build();
    }

    static String newSessionId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** The session id in a console principal's name, if it is one. */
    static Optional<String> sessionId(String principal) {
        if (principal == null || !principal.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = principal.substring(PREFIX.length()).split("-", 3);
        return parts.length == 3 && parts[2].matches("[0-9a-f]{32}") ? Optional.of(parts[2]) : Optional.empty();
    }

    @ApplicationScoped
    public static class SignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

        private final ApiKeys keys;

        public SignIn(ApiKeys keys) {
            this.keys = keys;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
            String key = new String(request.getPassword().getPassword()).trim();
            return keys.sessionKeyOf(key)
                    .map(k -> Uni.createFrom().item(identity(k.role(), k.fingerprint(), newSessionId())))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
        }
    }

    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {

        private final ApiKeys keys;
        private final ConsoleSignOuts signOuts;

        public Session(ApiKeys keys, ConsoleSignOuts signOuts) {
            this.keys = keys;
            this.signOuts = signOuts;
        }

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
            return restore(request.getPrincipal())
                    .map(Uni.createFrom()::item)
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
        }

        Optional<SecurityIdentity> restore(String principal) {
            if (principal == null || !principal.startsWith(PREFIX)) {
                return Optional.empty();
            }
            String[] parts = principal.substring(PREFIX.length()).split("-", 3);
            Optional<String> session = sessionId(principal);
            if (parts.length != 3 || session.isEmpty() || signOuts.ended(session.get())) {
                return Optional.empty(); // a cookie from before session ids, or of a session ended by Sign out
            }
            ApiKeys.Role role;
            try {
                role = ApiKeys.Role.valueOf(parts[0]);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return keys.roleOfSession(role, parts[1]).map(r -> identity(r, parts[1], parts[2]));
        }
    }
}
