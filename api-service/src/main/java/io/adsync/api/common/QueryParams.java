package io.adsync.api.common;

import java.util.Locale;
import java.util.UUID;

/**
 * Strict parsing of query parameters. JAX-RS would turn an unparseable value into a 404 (or, for Boolean,
 * silently into false); a client that sends {@code enabled=maybe} deserves a 400 that names the parameter.
 */
public final class QueryParams {

    private QueryParams() {
    }

    public static Boolean bool(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiErrors.invalidQuery(name, "must be true or false, not '" + value + "'");
        };
    }

    public static UUID uuid(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.invalidQuery(name, "must be a UUID, not '" + value + "'");
        }
    }

    public static int integer(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw ApiErrors.invalidQuery(name, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiErrors.invalidQuery(name, "must be a whole number between " + min + " and " + max + ", not '" + value + "'");
        }
    }
}
