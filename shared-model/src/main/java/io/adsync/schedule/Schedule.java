package io.adsync.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;

/**
 * When a sync job runs. Stored as a JSON object (jsonb) whose {@code type} property selects the variant.
 * The maths lives in {@link ScheduleCalculator}; the rules for valid values in {@link ScheduleValidator}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type", visible = true)
@JsonSubTypes({
        @JsonSubTypes.Type(value = Schedule.TimeSpan.class, name = "TIME_SPAN"),
        @JsonSubTypes.Type(value = Schedule.Simple.class, name = "SIMPLE"),
        @JsonSubTypes.Type(value = Schedule.Cron.class, name = "CRON"),
        @JsonSubTypes.Type(value = Schedule.Manual.class, name = "MANUAL")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Schedule permits Schedule.TimeSpan, Schedule.Simple, Schedule.Cron, Schedule.Manual {

    ScheduleType type();

    /**
     * Advanced time span: the first run is due at once ({@code IMMEDIATELY}), one interval from now
     * ({@code AFTER_INTERVAL}) or at {@code startAt} ({@code AT_TIME}); then every {@code interval} after each
     * scheduled start.
     */
    record TimeSpan(ScheduleType type, RunWhen runWhen, Duration interval, Instant startAt) implements Schedule {
        public TimeSpan {
            type = ScheduleType.TIME_SPAN;
        }

        public TimeSpan(RunWhen runWhen, Duration interval, Instant startAt) {
            this(ScheduleType.TIME_SPAN, runWhen, interval, startAt);
        }
    }

    /** A fixed, wall-clock aligned cadence; {@code at}, {@code timeZone} (and {@code dayOfWeek}) apply to DAILY and WEEKLY. */
    record Simple(ScheduleType type, SimpleEvery every, LocalTime at, String timeZone, DayOfWeek dayOfWeek) implements Schedule {
        public Simple {
            type = ScheduleType.SIMPLE;
        }

        public Simple(SimpleEvery every, LocalTime at, String timeZone, DayOfWeek dayOfWeek) {
            this(ScheduleType.SIMPLE, every, at, timeZone, dayOfWeek);
        }
    }

    /** A cron expression: 5 fields (Unix) or 6-7 fields (Quartz, with seconds), evaluated in {@code timeZone} (default UTC). */
    record Cron(ScheduleType type, String expression, String timeZone) implements Schedule {
        public Cron {
            type = ScheduleType.CRON;
        }

        public Cron(String expression, String timeZone) {
            this(ScheduleType.CRON, expression, timeZone);
        }
    }

    /** Runs only when started by hand ({@code POST /jobs/{id}/runs}). */
    record Manual(ScheduleType type) implements Schedule {
        public Manual {
            type = ScheduleType.MANUAL;
        }

        public Manual() {
            this(ScheduleType.MANUAL);
        }
    }

    enum ScheduleType { TIME_SPAN, SIMPLE, CRON, MANUAL }

    enum RunWhen { IMMEDIATELY, AFTER_INTERVAL, AT_TIME }

    enum SimpleEvery { EVERY_5_MINUTES, EVERY_15_MINUTES, EVERY_30_MINUTES, HOURLY, EVERY_12_HOURS, DAILY, WEEKLY }
}
