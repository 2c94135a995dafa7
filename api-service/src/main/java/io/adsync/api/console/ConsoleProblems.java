package io.adsync.api.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's own refusals (a missing CSRF token, a cross-site sign-in) as {@code application/problem+json}, with
 * the same fields in the same order as the API's ({@code io.adsync.api.common.Refusals}).
 */
final class ConsoleProblems {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleProblems() {
    }

    static String forbidden(String detail, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", "Forbidden");
        body.put("status", 403);
        body.put("detail", detail);
        body.put("instance", path);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
