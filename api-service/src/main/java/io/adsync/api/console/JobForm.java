package io.adsync.api.console;

import io.adsync.api.job.JobRequest;
import io.adsync.api.job.JobResponse;
import io.adsync.common.Violation;
import io.adsync.job.JobType;
import io.adsync.job.SyncJob;
import io.adsync.schedule.Schedule;
import jakarta.ws.rs.core.MultivaluedMap;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the New AD Sync Job / Edit dialog holds, as the user typed it (so that a refused save shows it again), and
 * its translation into the API's {@link JobRequest}. Fields that cannot even be parsed become violations named as
 * the API names them (e.g. {@code schedule.interval}).
 */
public class JobForm {

    public String id;
    public boolean syncAllDomains;
    public String domainId = "";
    public String name = "";
    public String description = "";
    public boolean requeueOnFailure;
    public boolean enabled = true;
    public String calendar = "TIME_SPAN";
    public String every = "DAILY";
    public String at = "02:30";
    public String timeZone = "UTC";
    public String dayOfWeek = "MONDAY";
    public String runWhen = "IMMEDIATELY";
    public String startAt = "";
    public String startZone = "UTC";
    public String days = "0";
    public String hours = "0";
    public String minutes = "0";
    public String seconds = "0";
    public String expression = "";
    public String cronTimeZone = "UTC";
    public String maxDeactivations = "" + SyncJob.DEFAULT_MAX_DEACTIVATIONS;
    public String maxDeactivationPercent = "" + SyncJob.DEFAULT_MAX_DEACTIVATION_PERCENT;
    public String fullSyncInterval = SyncJob.DEFAULT_FULL_SYNC_INTERVAL.toString();
    public String version = "";

    public static JobForm of(MultivaluedMap<String, String> f) {
        JobForm j = new JobForm();
        j.syncAllDomains = f.containsKey("syncAllDomains");
        j.domainId = get(f, "domainId", "");
        j.name = get(f, "name", "");
        j.description = get(f, "description", "");
        j.requeueOnFailure = f.containsKey("requeueOnFailure");
        j.enabled = f.containsKey("enabled");
        j.calendar = get(f, "calendar", "TIME_SPAN");
        j.every = get(f, "every", "DAILY");
        j.at = get(f, "at", "02:30");
        j.timeZone = get(f, "timeZone", "UTC");
        j.dayOfWeek = get(f, "dayOfWeek", "MONDAY");
        j.runWhen = get(f, "runWhen", "IMMEDIATELY");
        j.startAt = get(f, "startAt", "");
        j.startZone = get(f, "startZone", "UTC");
        j.days = get(f, "days", "0");
        j.hours = get(f, "hours", "0");
        j.minutes = get(f, "minutes", "0");
        j.seconds = get(f, "seconds", "0");
        j.expression = get(f, "expression", "");
        j.cronTimeZone = get(f, "cronTimeZone", "UTC");
        j.maxDeactivations = get(f, "maxDeactivations", "");
        j.maxDeactivationPercent = get(f, "maxDeactivationPercent", "");
        j.fullSyncInterval = get(f, "fullSyncInterval", "");
        j.version = get(f, "version", "");
        return j;
    }

    public static JobForm of(JobResponse r) {
        JobForm j = new JobForm();
        j.id = r.id().toString();
        j.syncAllDomains = r.syncAllDomains();
        j.domainId = r.domainId() == null ? "" : r.domainId().toString();
        j.name = r.name();
        j.description = r.description() == null ? "" : r.description();
        j.requeueOnFailure = r.requeueOnFailure();
        j.enabled = r.enabled();
        j.maxDeactivations = "" + r.maxDeactivations();
        j.maxDeactivationPercent = "" + r.maxDeactivationPercent();
        j.fullSyncInterval = r.fullSyncInterval() == null ? "" : r.fullSyncInterval().toString();
        j.version = "" + r.version();
        switch (r.schedule()) {
            case Schedule.TimeSpan t -> {
                j.calendar = "TIME_SPAN";
                j.runWhen = t.runWhen() == null ? "IMMEDIATELY" : t.runWhen().name();
                Duration d = t.interval() == null ? Duration.ZERO : t.interval();
                j.days = "" + d.toDays();
                j.hours = "" + d.toHoursPart();
                j.minutes = "" + d.toMinutesPart();
                j.seconds = "" + d.toSecondsPart();
                if (t.startAt() != null) {
                    j.startAt = LocalDateTime.ofInstant(t.startAt(), ZoneOffset.UTC).toString();
                    j.startZone = "UTC";
                }
            }
            case Schedule.Simple s -> {
                j.calendar = "SIMPLE";
                j.every = s.every() == null ? "DAILY" : s.every().name();
                j.at = s.at() == null ? "" : s.at().toString();
                j.timeZone = s.timeZone() == null ? "UTC" : s.timeZone();
                j.dayOfWeek = s.dayOfWeek() == null ? "MONDAY" : s.dayOfWeek().name();
            }
            case Schedule.Cron c -> {
                j.calendar = "CRON";
                j.expression = c.expression();
                j.cronTimeZone = c.timeZone() == null ? "UTC" : c.timeZone();
            }
            case Schedule.Manual m -> j.calendar = "MANUAL";
            case null -> j.calendar = "MANUAL";
        }
        return j;
    }

    /** The request, and the violations of fields that could not be parsed (their values are then left out). */
    public Parsed toRequest() {
        List<Violation> v = new ArrayList<>();
        UUID domain = null;
        if (!syncAllDomains && !domainId.isBlank()) {
            try {
                domain = UUID.fromString(domainId.trim());
            } catch (IllegalArgumentException e) {
                v.add(new Violation("domainId", "pick a domain"));
            }
        }
        Schedule schedule = schedule(v);
        Integer maxDeact = integer(maxDeactivations, "maxDeactivations", v);
        Integer maxPct = integer(maxDeactivationPercent, "maxDeactivationPercent", v);
        Duration full = null;
        if (!fullSyncInterval.isBlank()) {
            try {
                full = Duration.parse(fullSyncInterval.trim().toUpperCase());
            } catch (RuntimeException e) {
                v.add(new Violation("fullSyncInterval", "must be an ISO-8601 duration such as P1D or PT12H"));
            }
        }
        Long ver = null;
        if (!version.isBlank()) {
            try {
                ver = Long.parseLong(version.trim());
            } catch (NumberFormatException e) {
                ver = null;
            }
        }
        JobRequest req = new JobRequest(JobType.AD_SYNC, name, description.isBlank() ? null : description, domain,
                syncAllDomains, requeueOnFailure, enabled, schedule, maxDeact, maxPct, full, ver);
        return new Parsed(req, v);
    }

    public record Parsed(JobRequest request, List<Violation> violations) {
    }

    /** The schedule alone (for the live preview); unparseable parts become violations. */
    public Schedule schedule(List<Violation> v) {
        switch (calendar) {
            case "TIME_SPAN" -> {
                Schedule.RunWhen when = enumOf(Schedule.RunWhen.class, runWhen, "schedule.runWhen", v);
                Integer d = integer(days, "schedule.interval", v);
                Integer h = integer(hours, "schedule.interval", v);
                Integer m = integer(minutes, "schedule.interval", v);
                Integer s = integer(seconds, "schedule.interval", v);
                Duration interval = Duration.ofDays(d == null ? 0 : d).plusHours(h == null ? 0 : h)
                        .plusMinutes(m == null ? 0 : m).plusSeconds(s == null ? 0 : s);
                java.time.Instant start = null;
                if (when == Schedule.RunWhen.AT_TIME && !startAt.isBlank()) {
                    try {
                        start = LocalDateTime.parse(startAt.trim()).atZone(zone(startZone)).toInstant();
                    } catch (RuntimeException e) {
                        v.add(new Violation("schedule.startAt", "must be a date and time"));
                    }
                }
                return new Schedule.TimeSpan(when, interval, start);
            }
            case "SIMPLE" -> {
                Schedule.SimpleEvery e = enumOf(Schedule.SimpleEvery.class, every, "schedule.every", v);
                boolean timeOfDay = e == Schedule.SimpleEvery.DAILY || e == Schedule.SimpleEvery.WEEKLY;
                LocalTime t = null;
                if (timeOfDay && !at.isBlank()) {
                    try {
                        t = LocalTime.parse(at.trim());
                    } catch (RuntimeException ex) {
                        v.add(new Violation("schedule.at", "must be a time such as 02:30"));
                    }
                }
                DayOfWeek dow = e == Schedule.SimpleEvery.WEEKLY ? enumOf(DayOfWeek.class, dayOfWeek, "schedule.dayOfWeek", v) : null;
                return new Schedule.Simple(e, t, timeOfDay && !timeZone.isBlank() ? timeZone.trim() : null, dow);
            }
            case "CRON" -> {
                return new Schedule.Cron(expression.trim(), cronTimeZone.isBlank() ? null : cronTimeZone.trim());
            }
            case "MANUAL" -> {
                return new Schedule.Manual();
            }
            default -> {
                v.add(new Violation("schedule", "pick a calendar"));
                return null;
            }
        }
    }

    private static ZoneId zone(String z) {
        try {
            return ZoneId.of(z);
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private static Integer integer(String s, String field, List<Violation> v) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            v.add(new Violation(field, "must be a whole number"));
            return null;
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String s, String field, List<Violation> v) {
        try {
            return Enum.valueOf(type, s);
        } catch (RuntimeException e) {
            v.add(new Violation(field, "pick a value"));
            return null;
        }
    }

    private static String get(MultivaluedMap<String, String> f, String key, String dflt) {
        String value = f.getFirst(key);
        return value == null ? dflt : value;
    }
}
