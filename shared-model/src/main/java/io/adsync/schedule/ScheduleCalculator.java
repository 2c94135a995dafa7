package io.adsync.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a job is next due. Pure, static and thread-safe: the result depends only on the arguments.
 *
 * <p>Missed runs (e.g. while the system was down) are coalesced: at most one catch-up run is due at once and the
 * run after it lands back on the original cadence.
 */
public final class ScheduleCalculator {

    private ScheduleCalculator() {
    }

    /**
     * The next time a job with this schedule is due.
     *
     * @param schedule         the job's schedule; expected to be valid (see {@link ScheduleValidator})
     * @param lastScheduledRun the scheduled time of the previous run (the {@code nextRunAt} that was run), or
     *                         {@code null} if the job has never run on schedule
     * @param now              the current time
     * @return the due time, which may be at or before {@code now} (due at once); empty for MANUAL schedules and for
     *         cron expressions that never fire again
     * @throws IllegalArgumentException if the schedule is invalid (missing interval, unparsable cron, bad time zone...)
     */
    public static Optional<Instant> nextRun(Schedule schedule, Instant lastScheduledRun, Instant now) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(now, "now");
        return switch (schedule) {
            case Schedule.TimeSpan timeSpan -> Optional.of(nextTimeSpanRun(timeSpan, lastScheduledRun, now));
            case Schedule.Simple simple -> nextCalendarRun(
                    new CalendarSlots(CronExpressions.executionTime(CronExpressions.toCron(simple)),
                            CronExpressions.zone(simple.timeZone())),
                    lastScheduledRun, now);
            case Schedule.Cron cron -> nextCalendarRun(
                    new CalendarSlots(CronExpressions.executionTime(cron.expression()), CronExpressions.zone(cron.timeZone())),
                    lastScheduledRun, now);
            case Schedule.Manual manual -> Optional.empty();
        };
    }

    private static Instant nextTimeSpanRun(Schedule.TimeSpan schedule, Instant last, Instant now) {
        Duration interval = schedule.interval();
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("TIME_SPAN interval must be positive: " + interval);
        }
        if (last != null) {
            Instant next = last.plus(interval);
            return next.isAfter(now) ? next : latestSlotAtOrBefore(last, interval, now);
        }
        if (schedule.runWhen() == null) {
            throw new IllegalArgumentException("TIME_SPAN runWhen is required");
        }
        return switch (schedule.runWhen()) {
            case IMMEDIATELY -> now;
            case AFTER_INTERVAL -> now.plus(interval);
            case AT_TIME -> {
                if (schedule.startAt() == null) {
                    throw new IllegalArgumentException("TIME_SPAN startAt is required when runWhen is AT_TIME");
                }
                yield firstSlotAtOrAfter(schedule.startAt(), interval, now);
            }
        };
    }

    /** {@code origin + k * interval} for the largest k with the result at or before {@code now} (origin <= now). */
    private static Instant latestSlotAtOrBefore(Instant origin, Duration interval, Instant now) {
        long k = Duration.between(origin, now).dividedBy(interval);
        return origin.plus(interval.multipliedBy(k));
    }

    /** {@code start + k * interval} for the smallest k >= 0 with the result at or after {@code now}. */
    private static Instant firstSlotAtOrAfter(Instant start, Duration interval, Instant now) {
        if (!start.isBefore(now)) {
            return start;
        }
        Instant slot = latestSlotAtOrBefore(start, interval, now);
        return slot.isBefore(now) ? slot.plus(interval) : slot;
    }

    private static Optional<Instant> nextCalendarRun(CalendarSlots slots, Instant last, Instant now) {
        if (last == null) {
            return slots.nextAfter(now);
        }
        Optional<Instant> next = slots.nextAfter(last);
        if (next.isEmpty() || next.get().isAfter(now)) {
            return next;
        }
        return Optional.of(slots.latestAtOrBefore(now, next.get()));
    }
}
