package io.adsync.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsing of cron expressions (5 fields = Unix, 6-7 fields = Quartz) and time zones, with a bounded, thread-safe
 * cache of parsed expressions. cron-utils parsers and execution times are immutable once built, so sharing is safe.
 */
final class CronExpressions {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final int MAX_CACHED = 1024;
    private static final Map<String, ExecutionTime> CACHE = new ConcurrentHashMap<>();

    private CronExpressions() {
    }

    /**
     * The parsed expression.
     *
     * @throws IllegalArgumentException if the expression is blank, has the wrong number of fields or does not parse;
     *                                  the message is the parser's reason
     */
    static ExecutionTime executionTime(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression is required");
        }
        String normalized = expression.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        ExecutionTime cached = CACHE.get(normalized);
        if (cached != null) {
            return cached;
        }
        ExecutionTime parsed = ExecutionTime.forCron(parserFor(normalized).parse(normalized));
        if (CACHE.size() >= MAX_CACHED) {
            CACHE.clear();
        }
        CACHE.putIfAbsent(normalized, parsed);
        return parsed;
    }

    private static CronParser parserFor(String normalized) {
        int fields = normalized.split(" ").length;
        return switch (fields) {
            case 5 -> UNIX;
            case 6, 7 -> QUARTZ;
            default -> throw new IllegalArgumentException(
                    "expected 5 fields (Unix) or 6-7 fields (Quartz, with seconds) but got " + fields);
        };
    }

    /** The Quartz expression equivalent to a SIMPLE schedule (sub-second parts of {@code at} are dropped). */
    static String toCron(Schedule.Simple simple) {
        if (simple.every() == null) {
            throw new IllegalArgumentException("every is required");
        }
        LocalTime at = simple.at() == null ? LocalTime.MIDNIGHT : simple.at();
        String time = at.getSecond() + " " + at.getMinute() + " " + at.getHour();
        return switch (simple.every()) {
            case EVERY_5_MINUTES -> "0 0/5 * * * ?";
            case EVERY_15_MINUTES -> "0 0/15 * * * ?";
            case EVERY_30_MINUTES -> "0 0/30 * * * ?";
            case HOURLY -> "0 0 * * * ?";
            case EVERY_12_HOURS -> "0 0 0/12 * * ?";
            case DAILY -> time + " * * ?";
            case WEEKLY -> time + " ? * " + (simple.dayOfWeek() == null ? "MON" : simple.dayOfWeek().name().substring(0, 3));
        };
    }

    /**
     * The zone for an optional zone id; {@code null} means UTC.
     *
     * @throws IllegalArgumentException if the id is not a valid {@link ZoneId}
     */
    static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid time zone id: '" + timeZone + "'", e);
        }
    }
}
