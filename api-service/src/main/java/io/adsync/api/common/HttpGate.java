package io.adsync.api.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every HTTP route (REST, OpenAPI, Swagger UI, metrics):
 * <ol>
 *   <li>refuses bodies over 1 MiB with 413 (Vert.x's own limit stays as the backstop for chunked bodies);</li>
 *   <li>requires {@code Authorization: Bearer <api key>} everywhere except {@code /q/health*} and {@code /q/openapi*};</li>
 *   <li>lets the {@code reader} role use only GET, HEAD and OPTIONS.</li>
 * </ol>
 * Every refusal is an {@code application/problem+json} body.
 */
@Singleton
public class HttpGate {

    public static final long MAX_BODY_BYTES = 1024 * 1024;
    private static final Set<HttpMethod> READ_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    ApiKeys apiKeys;

    @Inject
    ObjectMapper json;

    @RouteFilter(1000)
    void gate(RoutingContext rc) {
        String path = rc.normalizedPath();
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLong(length) > MAX_BODY_BYTES) {
            refuse(rc, 413, "Content Too Large", "the request body is larger than 1 MiB", false);
            return;
        }
        if (path.startsWith("/q/health") || path.startsWith("/q/openapi")) {
            rc.next();
            return;
        }
        Optional<ApiKeys.Role> role = bearer(rc).flatMap(apiKeys::roleOf);
        if (role.isEmpty()) {
            refuse(rc, 401, "Unauthorized", "a valid API key is required: send Authorization: Bearer <api key>", true);
        } else if (role.get() == ApiKeys.Role.reader && !READ_METHODS.contains(rc.request().method())) {
            refuse(rc, 403, "Forbidden", "the reader role may only read (GET); this needs an admin key", false);
        } else {
            rc.next();
        }
    }

    private static Optional<String> bearer(RoutingContext rc) {
        String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = header.substring(7).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(RoutingContext rc, int status, String title, String detail, boolean challenge) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", rc.normalizedPath());
        var response = rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        if (challenge) {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"adsync\"");
        }
        if (status == 413) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        try {
            response.end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
