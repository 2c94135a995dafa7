package io.adsync.api.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code application/problem+json} bodies of the API's refusals: 401 from the HTTP layer
 * ({@link ApiKeyAuthMechanism}: no key, unknown key), 403 from a resource's {@code @RolesAllowed}
 * ({@link AuthExceptionMappers}: a reader key on a write) and 413 ({@link BodySizeLimit}). Same fields, in the same
 * order, wherever they are sent from.
 */
public final class Refusals {

    public static final String PROBLEM_JSON = "application/problem+json";
    /** The challenge sent with every 401. */
    public static final String CHALLENGE = "Bearer realm=\"adsync\"";
    static final String UNAUTHORIZED_DETAIL = "a valid API key is required: send Authorization: Bearer <api key>";
    static final String FORBIDDEN_DETAIL = "the reader role may only read (GET); this needs an admin key";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Refusals() {
    }

    public static Map<String, Object> unauthorized(String path) {
        return body(401, "Unauthorized", UNAUTHORIZED_DETAIL, path);
    }

    public static Map<String, Object> forbidden(String path) {
        return body(403, "Forbidden", FORBIDDEN_DETAIL, path);
    }

    public static Map<String, Object> tooLarge(String path) {
        return body(413, "Content Too Large", "the request body is larger than 1 MiB", path);
    }

    static Map<String, Object> body(int status, String title, String detail, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", path);
        return body;
    }

    static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
