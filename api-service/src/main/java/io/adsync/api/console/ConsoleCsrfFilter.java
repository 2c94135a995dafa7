package io.adsync.api.console;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import java.util.Optional;
import java.util.Set;

/**
 * Refuses (403) a state-changing request to the console ({@code /console/...}: POST, PUT, PATCH, DELETE) that does
 * not carry the session's CSRF token ({@link ConsoleCsrf}) in the {@code X-CSRF-Token} header (htmx) or the
 * {@code csrf} form field (plain forms). The JSON API is not affected: it takes bearer keys only, never the
 * console's cookie, so a cross-site page cannot make a browser's request count. The refusal is
 * {@code application/problem+json}, like every other error.
 */
public class ConsoleCsrfFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    ConsoleCsrf csrf;

    @ServerRequestFilter(readBody = true)
    public Optional<Response> check(ResteasyReactiveContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (SAFE.contains(ctx.getMethod()) || !(path.equals("/console") || path.startsWith("/console/"))) {
            return Optional.empty();
        }
        String token = ctx.getHeaderString(ConsoleCsrf.HEADER);
        if (token == null && ctx.getServerRequestContext() instanceof ResteasyReactiveRequestContext rc) {
            Object field = rc.getFormParameter(ConsoleCsrf.FIELD, true, false);
            token = field == null ? null : field.toString();
        }
        if (csrf.valid(token)) {
            return Optional.empty();
        }
        return Optional.of(Response.status(403).type(ConsoleProblems.PROBLEM_JSON)
                .entity(ConsoleProblems.forbidden("this console request carries no valid CSRF token: reload the page and try again", path))
                .build());
    }
}
