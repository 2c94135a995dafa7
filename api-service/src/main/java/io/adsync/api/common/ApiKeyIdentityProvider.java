package io.adsync.api.common;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns an API key into an identity: the SHA-256 of the key is compared, in constant time, with every configured
 * hash ({@link ApiKeys#roleOf}). A match gives the identity the key's role ({@code admin} or {@code reader}) and a
 * principal named after the role; anything else fails with an {@link AuthenticationFailedException} that carries
 * no part of the key.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        // one SHA-256 and a few 32-byte compares: cheap enough for the event loop, no blocking executor needed
        return keys.roleOf(request.key())
                .<Uni<SecurityIdentity>>map(role -> Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(role.name() + "-key"))
                        .addRole(role.name())
                        .build()))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
    }
}
