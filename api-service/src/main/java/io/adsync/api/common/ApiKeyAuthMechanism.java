package io.adsync.api.common;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Authentication by API key: {@code Authorization: Bearer <key>} (the scheme name in any case). Which paths need a
 * key is declared in application.properties ({@code quarkus.http.auth.permission.*}: everything but the OpenAPI
 * document, Swagger UI and the health/metrics paths); which role may call which operation is declared on the
 * resources ({@code @RolesAllowed}).
 * <ul>
 *   <li>no Authorization header, or another scheme: anonymous, so a path that needs a key answers 401;</li>
 *   <li>a bearer key: checked by {@link ApiKeyIdentityProvider}; an unknown key fails authentication, 401.</li>
 * </ul>
 * Every 401 carries {@code WWW-Authenticate: Bearer realm="adsync"} and an {@code application/problem+json} body.
 */
@ApplicationScoped
public class ApiKeyAuthMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String key = header.substring(BEARER.length()).trim();
        if (key.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(new ApiKeyAuthenticationRequest(key));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", Refusals.CHALLENGE));
    }

    /** The challenge with a problem body, not the empty 401 Quarkus would send. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (isConsole(context)) {
            // the console signs in through form authentication: its challenge is a redirect to the sign-in page
            return Uni.createFrom().item(false);
        }
        var response = context.response();
        if (!response.ended()) {
            response.setStatusCode(401)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Refusals.PROBLEM_JSON)
                    .putHeader("WWW-Authenticate", Refusals.CHALLENGE)
                    .end(Refusals.json(Refusals.unauthorized(context.normalizedPath())));
        }
        return Uni.createFrom().item(true);
    }

    private static boolean isConsole(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals("/console") || path.startsWith("/console/");
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
