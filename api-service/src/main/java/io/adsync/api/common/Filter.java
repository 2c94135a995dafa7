package io.adsync.api.common;

import io.quarkus.panache.common.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * The optional filters of a list endpoint as a Panache where-clause: a filter whose value is absent is left out,
 * so no filter at all matches every row.
 */
public final class Filter {

    private final List<String> clauses = new ArrayList<>();
    private final Parameters params = new Parameters();

    /** {@code field = value}, if a value was given. */
    public Filter equal(String field, Object value) {
        if (value != null) {
            clauses.add(field + " = :" + field);
            params.and(field, value);
        }
        return this;
    }

    /** {@code text} as a case-insensitive substring of any of {@code fields}; {@code %} and {@code _} in it are literal. */
    public Filter containsIgnoreCase(String text, String... fields) {
        if (text == null || text.isBlank()) {
            return this;
        }
        List<String> any = new ArrayList<>();
        for (String field : fields) {
            // an explicit escape character: Hibernate renders a LIKE without one as "escape ''", which disables escaping
            any.add("lower(" + field + ") like :q escape '!'");
        }
        clauses.add("(" + String.join(" or ", any) + ")");
        String escaped = text.trim().toLowerCase().replace("!", "!!").replace("%", "!%").replace("_", "!_");
        params.and("q", "%" + escaped + "%");
        return this;
    }

    /**
     * A clause of its own; its parameters are named {@code <prefix>_<key>} for each key of {@code params}, where
     * the clause names them {@code :<prefix>_<key>} and the prefix is the clause's first parameter name up to '_'.
     */
    public Filter clause(String clause, java.util.Map<String, Object> params) {
        clauses.add(clause);
        String prefix = clause.substring(clause.indexOf(':') + 1, clause.indexOf('_', clause.indexOf(':')));
        params.forEach((k, v) -> this.params.and(prefix + "_" + k, v));
        return this;
    }

    /** The where-clause, for {@code Entity.find(filter.query(), sort, filter.params())}. */
    public String query() {
        return clauses.isEmpty() ? "1 = 1" : String.join(" and ", clauses);
    }

    public Parameters params() {
        return params;
    }
}
