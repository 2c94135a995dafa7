package io.adsync.schedule;

import com.cronutils.model.time.ExecutionTime;
import io.adsync.common.Violation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The rules for a valid {@link Schedule}; each violation names the offending field, e.g. {@code schedule.interval}. */
public final class ScheduleValidator {

    /** Smallest allowed TIME_SPAN interval. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** Largest allowed TIME_SPAN interval. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(366);

    private ScheduleValidator() {
    }

    /**
     * Validates a schedule against the current time (a cron expression must still fire in the future).
     *
     * @param schedule    the schedule; {@code null} is one violation on {@code fieldPrefix}
     * @param fieldPrefix JSON path of the schedule, e.g. {@code schedule}; may be empty
     * @return the violations, empty if valid
     */
    public static List<Violation> validate(Schedule schedule, String fieldPrefix) {
        return validate(schedule, fieldPrefix, Instant.now());
    }

    /** As {@link #validate(Schedule, String)}, with {@code now} the time from which a cron expression must fire. */
    public static List<Violation> validate(Schedule schedule, String fieldPrefix, Instant now) {
        Fields fields = new Fields(fieldPrefix == null ? "" : fieldPrefix);
        if (schedule == null) {
            fields.reject(null, "is required");
            return fields.violations;
        }
        switch (schedule) {
            case Schedule.TimeSpan timeSpan -> validateTimeSpan(timeSpan, fields);
            case Schedule.Simple simple -> validateSimple(simple, fields);
            case Schedule.Cron cron -> validateCron(cron, fields, now);
            case Schedule.Manual manual -> { }
        }
        return fields.violations;
    }

    private static void validateTimeSpan(Schedule.TimeSpan s, Fields fields) {
        if (s.runWhen() == null) {
            fields.reject("runWhen", "is required");
        }
        if (s.interval() == null) {
            fields.reject("interval", "is required");
        } else if (s.interval().compareTo(MIN_INTERVAL) < 0 || s.interval().compareTo(MAX_INTERVAL) > 0) {
            fields.reject("interval", "must be between " + MIN_INTERVAL + " and " + MAX_INTERVAL + " but was " + s.interval());
        }
        if (s.runWhen() == Schedule.RunWhen.AT_TIME && s.startAt() == null) {
            fields.reject("startAt", "is required when runWhen is AT_TIME");
        } else if (s.runWhen() != null && s.runWhen() != Schedule.RunWhen.AT_TIME && s.startAt() != null) {
            fields.reject("startAt", "is only allowed when runWhen is AT_TIME");
        }
    }

    private static void validateSimple(Schedule.Simple s, Fields fields) {
        Schedule.SimpleEvery every = s.every();
        boolean timeOfDay = every == null || every == Schedule.SimpleEvery.DAILY || every == Schedule.SimpleEvery.WEEKLY;
        if (every == null) {
            fields.reject("every", "is required");
        }
        if (s.at() != null && !timeOfDay) {
            fields.reject("at", "is only allowed when every is DAILY or WEEKLY");
        } else if (s.at() != null && s.at().getNano() != 0) {
            fields.reject("at", "must be a whole second");
        }
        if (s.timeZone() != null && !timeOfDay) {
            fields.reject("timeZone", "is only allowed when every is DAILY or WEEKLY");
        } else {
            validateZone(s.timeZone(), fields);
        }
        if (s.dayOfWeek() != null && every != null && every != Schedule.SimpleEvery.WEEKLY) {
            fields.reject("dayOfWeek", "is only allowed when every is WEEKLY");
        }
    }

    private static void validateCron(Schedule.Cron s, Fields fields, Instant now) {
        ZoneId zone = validateZone(s.timeZone(), fields);
        if (s.expression() == null || s.expression().isBlank()) {
            fields.reject("expression", "is required");
            return;
        }
        ExecutionTime executionTime;
        try {
            executionTime = CronExpressions.executionTime(s.expression());
        } catch (IllegalArgumentException e) {
            fields.reject("expression", "is not a valid cron expression: " + e.getMessage());
            return;
        }
        if (executionTime.nextExecution(now.atZone(zone)).isEmpty()) {
            fields.reject("expression", "never fires");
        }
    }

    /** Rejects an invalid zone id; returns the zone to evaluate in (UTC if absent or invalid). */
    private static ZoneId validateZone(String timeZone, Fields fields) {
        try {
            return CronExpressions.zone(timeZone);
        } catch (IllegalArgumentException e) {
            fields.reject("timeZone", "is not a valid time zone id: '" + timeZone + "'");
            return ZoneOffset.UTC;
        }
    }

    private record Fields(String prefix, List<Violation> violations) {
        Fields(String prefix) {
            this(prefix, new ArrayList<>());
        }

        void reject(String field, String message) {
            String path = field == null ? prefix : prefix.isEmpty() ? field : prefix + "." + field;
            violations.add(new Violation(path, message));
        }
    }
}
