package io.adsync.api.console;

import io.adsync.schedule.Schedule;
import io.adsync.schedule.ScheduleCalculator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A schedule in words ("every 18 h 35 min 1 s, first run immediately", "daily at 02:30 Europe/Berlin", ...). */
public final class ScheduleWords {

    private ScheduleWords() {
    }

    public static String describe(Schedule s) {
        if (s == null) {
            return "no schedule";
        }
        return switch (s) {
            case Schedule.TimeSpan t -> "every " + span(t.interval()) + switch (t.runWhen() == null ? Schedule.RunWhen.IMMEDIATELY : t.runWhen()) {
                case IMMEDIATELY -> ", first run immediately";
                case AFTER_INTERVAL -> ", first run one interval after saving";
                case AT_TIME -> ", first run at " + t.startAt();
            };
            case Schedule.Simple simple -> simple(simple);
            case Schedule.Cron c -> "cron " + c.expression() + " (" + (c.timeZone() == null ? "UTC" : c.timeZone()) + ")";
            case Schedule.Manual m -> "manual only";
        };
    }

    private static String simple(Schedule.Simple s) {
        if (s.every() == null) {
            return "simple";
        }
        String at = (s.at() == null ? "00:00" : s.at().toString()) + " " + (s.timeZone() == null ? "UTC" : s.timeZone());
        return switch (s.every()) {
            case EVERY_5_MINUTES -> "every 5 minutes";
            case EVERY_15_MINUTES -> "every 15 minutes";
            case EVERY_30_MINUTES -> "every 30 minutes";
            case HOURLY -> "hourly";
            case EVERY_12_HOURS -> "every 12 hours";
            case DAILY -> "daily at " + at;
            case WEEKLY -> "weekly on " + (s.dayOfWeek() == null ? "Monday"
                    : s.dayOfWeek().name().charAt(0) + s.dayOfWeek().name().substring(1).toLowerCase(Locale.ROOT)) + " at " + at;
        };
    }

    /** "18 h 35 min 1 s", "1 d 2 h". */
    public static String span(Duration d) {
        if (d == null) {
            return "?";
        }
        List<String> parts = new ArrayList<>();
        if (d.toDays() > 0) {
            parts.add(d.toDays() + " d");
        }
        if (d.toHoursPart() > 0) {
            parts.add(d.toHoursPart() + " h");
        }
        if (d.toMinutesPart() > 0) {
            parts.add(d.toMinutesPart() + " min");
        }
        if (d.toSecondsPart() > 0 || parts.isEmpty()) {
            parts.add(d.toSecondsPart() + " s");
        }
        return String.join(" ", parts);
    }

    /** The next {@code n} runs from now (fewer if the schedule stops, none for MANUAL). */
    public static List<Instant> nextRuns(Schedule s, Instant now, int n) {
        List<Instant> runs = new ArrayList<>();
        Instant last = null;
        Instant from = now;
        for (int i = 0; i < n; i++) {
            var next = ScheduleCalculator.nextRun(s, last, from);
            if (next.isEmpty()) {
                break;
            }
            runs.add(next.get());
            last = next.get();
            from = next.get().plusMillis(1);
        }
        return runs;
    }
}
