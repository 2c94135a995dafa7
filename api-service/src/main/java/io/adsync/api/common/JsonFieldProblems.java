package io.adsync.api.common;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.adsync.common.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemContext;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemPostProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Makes every problem the API returns complete and uniform:
 * <ul>
 *   <li>JSON binding errors (unknown enum value, wrong type, unknown property, unknown schedule type) get the same
 *   {@code violations: [{field, in, message}]} list that validation errors have;</li>
 *   <li>malformed JSON says where it broke;</li>
 *   <li>every problem carries {@code type} (about:blank, RFC 9457 section 4.2.1).</li>
 * </ul>
 */
@ApplicationScoped
public class JsonFieldProblems implements ProblemPostProcessor {

    static final URI ABOUT_BLANK = URI.create("about:blank");

    @Override
    public HttpProblem apply(HttpProblem problem, ProblemContext context) {
        JacksonException json = jsonCause(context.cause);
        // Jackson wraps a syntax error inside a nested value in a JsonMappingException with a path: still malformed JSON
        JsonParseException syntax = cause(context.cause, JsonParseException.class);
        if (syntax == null && json instanceof JsonMappingException e && (!e.getPath().isEmpty() || e instanceof InvalidTypeIdException)) {
            return bindingProblem(e, problem.getInstance());
        }
        HttpProblem.Builder b = HttpProblem.builder(problem);
        if (json != null && problem.getStatusCode() == 400) {
            b.withDetail("the request body is not valid JSON: " + (syntax != null ? syntax : json).getOriginalMessage());
        } else if (problem.getDetail() == null && problem.getParameters().get("violations") instanceof List<?> violations
                && !violations.isEmpty()) {
            // Bean Validation problems come without a detail
            b.withDetail(summary(violations));
        }
        if (problem.getType() == null) {
            b.withType(ABOUT_BLANK);
        }
        return b.build();
    }

    /** Like {@link ApiErrors}' validation problems: "field: message", or "N fields are invalid". */
    private static String summary(List<?> violations) {
        if (violations.size() == 1 && violations.getFirst() instanceof io.quarkiverse.resteasy.problem.validation.Violation v) {
            return (v.field == null || v.field.isEmpty() ? "(body)" : v.field) + ": " + v.message;
        }
        return violations.size() + (violations.size() == 1 ? " field is invalid" : " fields are invalid");
    }

    /** Quarkus maps MismatchedInputException itself (an empty 400); this mapper wins and names the field. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return bindingProblem(e, null).toResponse();
    }

    static HttpProblem bindingProblem(JsonMappingException e, URI instance) {
        String field = path(e);
        Violation violation = new Violation(field.isEmpty() ? "(body)" : field, message(e));
        return HttpProblem.builder().withType(ABOUT_BLANK).withStatus(400).withTitle("Bad Request").withInstance(instance)
                .withDetail(violation.field() + ": " + violation.message())
                .with("violations", ApiErrors.toMaps(List.of(violation))).build();
    }

    private static JacksonException jsonCause(Throwable t) {
        return cause(t, JacksonException.class);
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String message(JsonMappingException e) {
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            String allowed = Arrays.stream(f.getTargetType().getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
            return "'" + f.getValue() + "' is not one of: " + allowed;
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown property '" + u.getPropertyName() + "'";
        }
        if (e instanceof InvalidTypeIdException t) {
            return t.getTypeId() == null ? "type is required" : "unknown type '" + t.getTypeId() + "'";
        }
        return ((JsonProcessingException) e).getOriginalMessage();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        if (e instanceof InvalidTypeIdException) {
            sb.append(sb.isEmpty() ? "type" : ".type");
        }
        return sb.toString();
    }
}
