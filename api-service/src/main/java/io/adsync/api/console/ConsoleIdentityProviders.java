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

import java.util.Optional;

/**
 * The console's sign-in, through Quarkus form authentication ({@code quarkus.http.auth.form.*}, console paths only):
 * <ul>
 *   <li>{@link SignIn}: the sign-in form posts the API key as the password (the user name is a fixed hidden field);
 *       the key is checked exactly as a bearer key is ({@link ApiKeys}: SHA-256, constant-time compare).</li>
 *   <li>{@link Session}: on every later request Quarkus decrypts its session cookie and asks for the identity of the
 *       principal stored in it, {@code console-<role>-<fingerprint>}. The fingerprint names the key (without
 *       revealing it); a key removed from {@code adsync.api-keys} no longer restores a session.</li>
 * </ul>
 */
public final class ConsoleIdentityProviders {

    static final String PREFIX = "console-";

    private ConsoleIdentityProviders() {
    }

    static SecurityIdentity identity(ApiKeys.Role role, String fingerprint) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(PREFIX + role.name() + "-" + fingerprint))
                .addRole(role.name())
                .build();
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
                    .map(k -> Uni.createFrom().item(identity(k.role(), k.fingerprint())))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
        }
    }

    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {

        private final ApiKeys keys;

        public Session(ApiKeys keys) {
            this.keys = keys;
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
            String[] parts = principal.substring(PREFIX.length()).split("-", 2);
            if (parts.length != 2) {
                return Optional.empty();
            }
            ApiKeys.Role role;
            try {
                role = ApiKeys.Role.valueOf(parts[0]);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return keys.roleOfSession(role, parts[1]).map(r -> identity(r, parts[1]));
        }
    }
}
