package io.adsync.schedule;

import com.cronutils.model.time.ExecutionTime;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * The slots of a cron expression in a time zone, as instants.
 *
 * <p>Daylight saving time: cron-utils maps local times to instants through {@link ZonedDateTime}, so on a
 * fall-back day a local time that occurs twice is a slot only once for daily and coarser schedules, and
 * wall-clock hours are taken in real time. A local time that does not exist on a spring-forward day would be
 * silently skipped by cron-utils (a WEEKLY Sunday 02:30 job in Europe/Berlin would lose a whole week). Like Vixie
 * cron, such slots are kept instead: every gap whose skipped local times contain a match adds one slot at the end
 * of the gap (the transition instant, e.g. 03:00 CEST).
 */
record CalendarSlots(ExecutionTime executionTime, ZoneId zone) {

    /** The first slot strictly after {@code ref}, or empty if the expression never fires again. */
    Optional<Instant> nextAfter(Instant ref) {
        Optional<Instant> regular = executionTime.nextExecution(ref.atZone(zone)).map(ZonedDateTime::toInstant);
        if (regular.isEmpty()) {
            return regular;
        }
        ZoneRules rules = zone.getRules();
        for (ZoneOffsetTransition t = rules.nextTransition(ref);
             t != null && t.getInstant().isBefore(regular.get());
             t = rules.nextTransition(t.getInstant())) {
            if (firesInGap(t)) {
                return Optional.of(t.getInstant());
            }
        }
        return regular;
    }

    /** The latest slot at or before {@code now}, given {@code floor}, a slot known to be at or before {@code now}. */
    Instant latestAtOrBefore(Instant now, Instant floor) {
        Instant best = floor;
        Optional<ZonedDateTime> last = executionTime.lastExecution(now.atZone(zone)); // strictly before now
        if (last.isPresent()) {
            best = later(best, last.get().toInstant());
            Optional<Instant> following = executionTime.nextExecution(last.get()).map(ZonedDateTime::toInstant);
            if (following.isPresent() && !following.get().isAfter(now)) { // a slot exactly at now
                best = later(best, following.get());
            }
        }
        ZoneRules rules = zone.getRules();
        for (ZoneOffsetTransition t = rules.previousTransition(now.plusNanos(1));
             t != null && t.getInstant().isAfter(best);
             t = rules.previousTransition(t.getInstant())) {
            if (firesInGap(t)) {
                return t.getInstant();
            }
        }
        return best;
    }

    /** Whether {@code t} is a spring-forward gap containing a local time the expression matches. */
    private boolean firesInGap(ZoneOffsetTransition t) {
        if (!t.isGap()) {
            return false;
        }
        // In the fixed pre-transition offset the skipped local times [before, after) are representable.
        ZonedDateTime justBeforeGap = t.getDateTimeBefore().minusSeconds(1).atZone(t.getOffsetBefore());
        return executionTime.nextExecution(justBeforeGap)
                .map(n -> n.toLocalDateTime().isBefore(t.getDateTimeAfter()))
                .orElse(false);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
