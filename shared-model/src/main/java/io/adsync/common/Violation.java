package io.adsync.common;

/** One invalid input field: {@code field} is a JSON path such as {@code schedule.interval}. */
public record Violation(String field, String message) {
}
