package io.adsync.api.console;

import io.adsync.common.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.validation.ConstraintViolation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The errors of a refused save, by field, named as the API names them ({@code name}, {@code schedule.interval}):
 * from a problem's {@code violations}, from Bean Validation, or from the form's own parsing. A problem without
 * violations (409 name taken, stale version) becomes the form's general error.
 */
public class FieldErrors {

    private final Map<String, String> byField = new LinkedHashMap<>();
    private String general;

    public static FieldErrors of(List<Violation> violations) {
        FieldErrors e = new FieldErrors();
        violations.forEach(v -> e.add(v.field(), v.message()));
        return e;
    }

    public FieldErrors addAll(Set<? extends ConstraintViolation<?>> violations) {
        violations.forEach(v -> add(v.getPropertyPath().toString(), v.getMessage()));
        return this;
    }

    @SuppressWarnings("unchecked")
    public FieldErrors add(HttpProblem p) {
        Object violations = p.getParameters().get("violations");
        if (violations instanceof List<?> list && !list.isEmpty()) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    add(String.valueOf(m.get("field")), String.valueOf(m.get("message")));
                }
            }
        } else {
            general = p.getDetail() != null ? p.getDetail() : p.getTitle();
        }
        return this;
    }

    public FieldErrors add(String field, String message) {
        byField.merge(field, message, (a, b) -> a + "; " + b);
        return this;
    }

    public FieldErrors general(String message) {
        general = message;
        return this;
    }

    /** The message for a field (or any field under it, e.g. "hosts" for "hosts[1]"), or null. */
    public String get(String field) {
        String exact = byField.get(field);
        if (exact != null) {
            return exact;
        }
        StringBuilder sb = new StringBuilder();
        byField.forEach((k, v) -> {
            if (k.startsWith(field + "[") || k.startsWith(field + ".") || k.startsWith(field + "<")) {
                sb.append(sb.isEmpty() ? "" : "; ").append(v);
            }
        });
        return sb.isEmpty() ? null : sb.toString();
    }

    public boolean has(String field) {
        return get(field) != null;
    }

    public String getGeneral() {
        return general;
    }

    public boolean isEmpty() {
        return byField.isEmpty() && general == null;
    }

    public Map<String, String> all() {
        return byField;
    }
}
