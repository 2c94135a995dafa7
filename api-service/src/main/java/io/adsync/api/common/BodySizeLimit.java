package io.adsync.api.common;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * Refuses a request whose Content-Length is over 1 MiB with a 413 problem, before authentication and before any
 * of the body is read (Vert.x's own {@code quarkus.http.limits.max-body-size} stays as the backstop for chunked
 * bodies).
 */
@Singleton
public class BodySizeLimit {

    public static final long MAX_BODY_BYTES = 1024 * 1024;

    @RouteFilter(1000)
    void limit(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLong(length) > MAX_BODY_BYTES) {
            rc.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Refusals.PROBLEM_JSON)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(Refusals.json(Refusals.tooLarge(rc.normalizedPath())));
            return;
        }
        rc.next();
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
