package io.adsync.api.common;

import io.adsync.common.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * Small static factories for the API's RFC 9457 problems (rendered by quarkus-resteasy-problem as
 * {@code application/problem+json}). Validation problems carry {@code violations: [{field, in, message}]},
 * the same shape the library gives Bean Validation failures.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static HttpProblem notFound(String what, Object id) {
        return problem(Response.Status.NOT_FOUND, what + " " + id + " does not exist");
    }

    public static HttpProblem conflict(String detail) {
        return problem(Response.Status.CONFLICT, detail);
    }

    public static HttpProblem conflict(String detail, String key, Object value) {
        return base().withStatus(Response.Status.CONFLICT).withTitle("Conflict")
                .withDetail(detail).with(key, value).build();
    }

    public static HttpProblem staleVersion(String what, long sent, long current) {
        return base().withStatus(Response.Status.CONFLICT).withTitle("Conflict")
                .withDetail(what + " was changed by someone else: you sent version " + sent + ", the current version is " + current
                        + ". Read it again and retry.")
                .with("currentVersion", current).build();
    }

    public static HttpProblem invalid(List<Violation> violations) {
        return validationProblem(400, "Bad Request", violations);
    }

    /** 422: the request is well formed but refers to something that does not exist (e.g. an unknown domainId). */
    public static HttpProblem unprocessable(String field, String message) {
        return validationProblem(422, "Unprocessable Content", List.of(new Violation(field, message)));
    }

    private static HttpProblem validationProblem(int status, String title, List<Violation> violations) {
        String detail = violations.size() == 1
                ? violations.getFirst().field() + ": " + violations.getFirst().message()
                : violations.size() + " fields are invalid";
        return base().withStatus(status).withTitle(title)
                .withDetail(detail).with("violations", toMaps(violations)).build();
    }

    /** 400 for a query parameter that is present but not of its type or range. */
    public static HttpProblem invalidQuery(String param, String message) {
        return base().withStatus(400).withTitle("Bad Request").withDetail(param + ": " + message)
                .with("violations", List.of(Map.of("field", param, "in", "query", "message", message))).build();
    }

    static List<Map<String, String>> toMaps(List<Violation> violations) {
        return violations.stream().map(v -> Map.of("field", v.field(), "in", "body", "message", v.message())).toList();
    }

    private static HttpProblem.Builder base() {
        return HttpProblem.builder().withType(JsonFieldProblems.ABOUT_BLANK);
    }

    private static HttpProblem problem(Response.Status status, String detail) {
        return base().withStatus(status).withTitle(status.getReasonPhrase()).withDetail(detail).build();
    }
}
