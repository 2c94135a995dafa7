package io.adsync.api.common;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The 403 of a resource's {@code @RolesAllowed} (a reader key on a write), and a 401 should an authentication
 * failure reach a resource, with the same bodies the HTTP layer sends ({@link Refusals}). They take precedence
 * over quarkus-resteasy-problem's generic security mappers, which would answer a 403 without a detail.
 */
public class AuthExceptionMappers {

    /** quarkus-resteasy-problem registers its mappers with priority 999; the lower number wins. */
    private static final int PRIORITY = 500;

    @ServerExceptionMapper(priority = PRIORITY)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Response.status(403).type(Refusals.PROBLEM_JSON).entity(Refusals.forbidden(path(uri))).build();
    }

    @ServerExceptionMapper(value = {UnauthorizedException.class, AuthenticationFailedException.class}, priority = PRIORITY)
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return Response.status(401).type(Refusals.PROBLEM_JSON).header("WWW-Authenticate", Refusals.CHALLENGE)
                .entity(Refusals.unauthorized(path(uri))).build();
    }

    private static String path(UriInfo uri) {
        String path = uri.getPath();
        return path.startsWith("/") ? path : "/" + path;
    }
}
