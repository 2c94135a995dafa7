package io.adsync.schedule;

import io.adsync.schedule.Schedule.Cron;
import io.adsync.schedule.Schedule.Manual;
import io.adsync.schedule.Schedule.RunWhen;
import io.adsync.schedule.Schedule.Simple;
import io.adsync.schedule.Schedule.SimpleEvery;
import io.adsync.schedule.Schedule.TimeSpan;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static io.adsync.schedule.ScheduleCalculator.nextRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleCalculatorTest {

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Nested
    class TimeSpans {

        @Test
        void specExampleImmediatelyThenEvery18h35m1s() {
            var schedule = new TimeSpan(RunWhen.IMMEDIATELY, Duration.parse("PT18H35M1S"), null);
            Instant created = t("2025-06-01T10:00:00Z");

            Instant first = nextRun(schedule, null, created).orElseThrow();
            assertThat(first).isEqualTo(created);

            assertThat(nextRun(schedule, first, created.plusSeconds(4))).contains(t("2025-06-02T04:35:01Z"));
        }

        @Test
        void afterIntervalFirstRunIsOneIntervalFromNow() {
            var schedule = new TimeSpan(RunWhen.AFTER_INTERVAL, Duration.ofMinutes(90), null);
            assertThat(nextRun(schedule, null, t("2025-06-01T10:00:00Z"))).contains(t("2025-06-01T11:30:00Z"));
        }

        @Test
        void atTimeInTheFutureIsStartAt() {
            var schedule = new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(6), t("2025-06-03T08:00:00Z"));
            assertThat(nextRun(schedule, null, t("2025-06-01T10:00:00Z"))).contains(t("2025-06-03T08:00:00Z"));
        }

        @Test
        void atTimeEqualToNowIsNow() {
            var schedule = new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(6), t("2025-06-01T10:00:00Z"));
            assertThat(nextRun(schedule, null, t("2025-06-01T10:00:00Z"))).contains(t("2025-06-01T10:00:00Z"));
        }

        @Test
        void atTimeInThePastIsFirstSlotOnItsCadenceAtOrAfterNow() {
            var schedule = new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(6), t("2025-05-01T00:00:00Z"));
            assertThat(nextRun(schedule, null, t("2025-06-01T13:00:00Z"))).contains(t("2025-06-01T18:00:00Z"));
            assertThat(nextRun(schedule, null, t("2025-06-01T12:00:00Z"))).contains(t("2025-06-01T12:00:00Z"));
        }

        @Test
        void afterARunTheNextIsOneIntervalAfterTheScheduledTimeNotAfterNow() {
            var schedule = new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(1), t("2025-06-01T00:00:00Z"));
            // the run was scheduled at 09:00 but started late, at 09:20
            assertThat(nextRun(schedule, t("2025-06-01T09:00:00Z"), t("2025-06-01T09:20:00Z")))
                    .contains(t("2025-06-01T10:00:00Z"));
        }

        @Test
        void missedRunsAreCoalescedIntoOneCatchUpRun() {
            var schedule = new TimeSpan(RunWhen.IMMEDIATELY, Duration.ofHours(1), null);
            Instant last = t("2025-06-01T00:00:00Z");
            Instant now = t("2025-06-01T10:30:00Z"); // down for 10.5 hours

            Instant catchUp = nextRun(schedule, last, now).orElseThrow();
            assertThat(catchUp).isEqualTo(t("2025-06-01T10:00:00Z")).isBeforeOrEqualTo(now);

            // once the catch-up run has run, the next is in the future, on the original cadence
            assertThat(nextRun(schedule, catchUp, now.plusSeconds(5))).contains(t("2025-06-01T11:00:00Z"));
        }

        @Test
        void missedSlotExactlyAtNowIsDueNow() {
            var schedule = new TimeSpan(RunWhen.IMMEDIATELY, Duration.ofHours(1), null);
            assertThat(nextRun(schedule, t("2025-06-01T00:00:00Z"), t("2025-06-01T10:00:00Z")))
                    .contains(t("2025-06-01T10:00:00Z"));
            assertThat(nextRun(schedule, t("2025-06-01T09:00:00Z"), t("2025-06-01T10:00:00Z")))
                    .contains(t("2025-06-01T10:00:00Z"));
        }

        @Test
        void coalescingIsArithmeticEvenForBillionsOfMissedSlots() {
            var schedule = new TimeSpan(RunWhen.IMMEDIATELY, Duration.ofSeconds(1), null);
            assertThat(nextRun(schedule, t("1990-01-01T00:00:00Z"), t("2025-06-01T10:00:00.750Z")))
                    .contains(t("2025-06-01T10:00:00Z"));
        }

        @Test
        void invalidTimeSpanIsRejected() {
            Instant now = t("2025-06-01T10:00:00Z");
            assertThatThrownBy(() -> nextRun(new TimeSpan(RunWhen.IMMEDIATELY, null, null), null, now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> nextRun(new TimeSpan(RunWhen.IMMEDIATELY, Duration.ZERO, null), null, now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> nextRun(new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(1), null), null, now))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Simples {

        @ParameterizedTest(name = "{0} at {1} -> {2}")
        @CsvSource({
                "EVERY_5_MINUTES,  2025-06-01T10:02:30Z, 2025-06-01T10:05:00Z",
                "EVERY_5_MINUTES,  2025-06-01T10:05:00Z, 2025-06-01T10:10:00Z",
                "EVERY_15_MINUTES, 2025-06-01T10:02:30Z, 2025-06-01T10:15:00Z",
                "EVERY_15_MINUTES, 2025-06-01T10:45:00Z, 2025-06-01T11:00:00Z",
                "EVERY_30_MINUTES, 2025-06-01T10:31:00Z, 2025-06-01T11:00:00Z",
                "HOURLY,           2025-06-01T10:00:01Z, 2025-06-01T11:00:00Z",
                "EVERY_12_HOURS,   2025-06-01T10:00:00Z, 2025-06-01T12:00:00Z",
                "EVERY_12_HOURS,   2025-06-01T12:00:00Z, 2025-06-02T00:00:00Z",
                "DAILY,            2025-06-01T10:00:00Z, 2025-06-02T00:00:00Z",
                "WEEKLY,           2025-06-04T10:00:00Z, 2025-06-09T00:00:00Z", // Wednesday -> Monday 00:00
        })
        void firstRunIsTheNextWallClockAlignedSlotInUtc(SimpleEvery every, Instant now, Instant expected) {
            assertThat(nextRun(new Simple(every, null, null, null), null, now)).contains(expected);
        }

        @Test
        void dailyAtATimeInAZone() {
            var schedule = new Simple(SimpleEvery.DAILY, LocalTime.of(6, 15), "Europe/Berlin", null);
            assertThat(nextRun(schedule, null, t("2025-06-01T10:00:00Z"))).contains(t("2025-06-02T04:15:00Z"));
            assertThat(nextRun(schedule, null, t("2025-01-10T03:00:00Z"))).contains(t("2025-01-10T05:15:00Z"));
        }

        @Test
        void dailyWithSecondsInAt() {
            var schedule = new Simple(SimpleEvery.DAILY, LocalTime.of(6, 15, 30), null, null);
            assertThat(nextRun(schedule, null, t("2025-06-01T06:15:00Z"))).contains(t("2025-06-01T06:15:30Z"));
        }

        @Test
        void weeklyOnADayAtATimeInAZone() {
            var schedule = new Simple(SimpleEvery.WEEKLY, LocalTime.of(17, 30), "America/New_York", DayOfWeek.FRIDAY);
            Instant first = nextRun(schedule, null, t("2025-06-02T12:00:00Z")).orElseThrow();
            assertThat(first).isEqualTo(t("2025-06-06T21:30:00Z"));
            assertThat(nextRun(schedule, first, first.plusSeconds(60))).contains(t("2025-06-13T21:30:00Z"));
        }

        @Test
        void afterARunTheNextSlotFollowsTheScheduledTime() {
            var schedule = new Simple(SimpleEvery.DAILY, null, null, null);
            assertThat(nextRun(schedule, t("2025-06-01T00:00:00Z"), t("2025-06-01T00:00:03Z")))
                    .contains(t("2025-06-02T00:00:00Z"));
        }

        @Test
        void missedSlotsAreCoalescedIntoOneCatchUpRun() {
            var schedule = new Simple(SimpleEvery.HOURLY, null, null, null);
            Instant now = t("2025-06-01T10:30:00Z");

            Instant catchUp = nextRun(schedule, t("2025-06-01T00:00:00Z"), now).orElseThrow();
            assertThat(catchUp).isEqualTo(t("2025-06-01T10:00:00Z"));
            assertThat(nextRun(schedule, catchUp, now.plusSeconds(5))).contains(t("2025-06-01T11:00:00Z"));
        }

        @Test
        void missedSlotExactlyAtNowIsDueNow() {
            var schedule = new Simple(SimpleEvery.HOURLY, null, null, null);
            assertThat(nextRun(schedule, t("2025-06-01T07:00:00Z"), t("2025-06-01T10:00:00Z")))
                    .contains(t("2025-06-01T10:00:00Z"));
        }

        @Test
        void dailyAt0230InBerlinRunsOnceEachDayAcrossSpringForward() {
            // 2025-03-30: clocks jump from 02:00 CET to 03:00 CEST, so 02:30 does not exist that day;
            // the slot is kept and runs at the end of the gap (03:00 CEST) instead of the day being skipped.
            var schedule = new Simple(SimpleEvery.DAILY, LocalTime.of(2, 30), "Europe/Berlin", null);
            List<Instant> runs = runs(schedule, t("2025-03-28T12:00:00Z"), 4);
            assertThat(runs).containsExactly(
                    t("2025-03-29T01:30:00Z"),  // 02:30 CET
                    t("2025-03-30T01:00:00Z"),  // 03:00 CEST, end of the gap
                    t("2025-03-31T00:30:00Z"),  // 02:30 CEST
                    t("2025-04-01T00:30:00Z"));
        }

        @Test
        void dailyAt0230InBerlinRunsOnceAcrossFallBack() {
            // 2025-10-26: clocks go back from 03:00 CEST to 02:00 CET, so 02:30 happens twice; it runs once.
            var schedule = new Simple(SimpleEvery.DAILY, LocalTime.of(2, 30), "Europe/Berlin", null);
            List<Instant> runs = runs(schedule, t("2025-10-24T12:00:00Z"), 3);
            assertThat(runs).containsExactly(
                    t("2025-10-25T00:30:00Z"),  // 02:30 CEST
                    t("2025-10-26T00:30:00Z"),  // first 02:30 (CEST)
                    t("2025-10-27T01:30:00Z")); // 02:30 CET
        }

        @Test
        void dailyOutsideTheGapKeepsItsWallClockTimeAcrossDst() {
            var schedule = new Simple(SimpleEvery.DAILY, LocalTime.of(9, 0), "Europe/Berlin", null);
            assertThat(runs(schedule, t("2025-03-29T00:00:00Z"), 2))
                    .containsExactly(t("2025-03-29T08:00:00Z"), t("2025-03-30T07:00:00Z")); // 23 hours apart
        }

        @Test
        void weeklySundayAt0230InBerlinDoesNotLoseAWeekAtSpringForward() {
            var schedule = new Simple(SimpleEvery.WEEKLY, LocalTime.of(2, 30), "Europe/Berlin", DayOfWeek.SUNDAY);
            assertThat(runs(schedule, t("2025-03-20T00:00:00Z"), 3)).containsExactly(
                    t("2025-03-23T01:30:00Z"),
                    t("2025-03-30T01:00:00Z"),
                    t("2025-04-06T00:30:00Z"));
        }

        @Test
        void hourlyInBerlinRunsEveryRealHourAcrossDst() {
            var schedule = new Simple(SimpleEvery.HOURLY, null, "Europe/Berlin", null);
            assertThat(runs(schedule, t("2025-03-29T23:30:00Z"), 3)).containsExactly(
                    t("2025-03-30T00:00:00Z"), t("2025-03-30T01:00:00Z"), t("2025-03-30T02:00:00Z"));
            assertThat(runs(schedule, t("2025-10-25T23:30:00Z"), 3)).containsExactly(
                    t("2025-10-26T00:00:00Z"), t("2025-10-26T01:00:00Z"), t("2025-10-26T02:00:00Z"));
        }

        @Test
        void catchUpAcrossTheSpringForwardGapIsTheGapSlot() {
            var schedule = new Simple(SimpleEvery.DAILY, LocalTime.of(2, 30), "Europe/Berlin", null);
            // last run on the 28th, down until 03:10 CEST on the 30th: the latest slot is the gap slot at 03:00 CEST
            assertThat(nextRun(schedule, t("2025-03-28T01:30:00Z"), t("2025-03-30T01:10:00Z")))
                    .contains(t("2025-03-30T01:00:00Z"));
        }
    }

    @Nested
    class Crons {

        @Test
        void unixFiveFields() {
            assertThat(nextRun(new Cron("*/10 * * * *", null), null, t("2025-06-01T10:01:00Z")))
                    .contains(t("2025-06-01T10:10:00Z"));
        }

        @Test
        void unixWeekdaysInAZone() {
            // Friday 10:00 in Berlin -> Monday 09:00 CEST
            assertThat(nextRun(new Cron("0 9 * * 1-5", "Europe/Berlin"), null, t("2025-06-06T08:00:00Z")))
                    .contains(t("2025-06-09T07:00:00Z"));
        }

        @Test
        void quartzSixFieldsWithSeconds() {
            assertThat(nextRun(new Cron("30 0 9 ? * MON-FRI", "Europe/Berlin"), null, t("2025-06-06T08:00:00Z")))
                    .contains(t("2025-06-09T07:00:30Z"));
            assertThat(nextRun(new Cron("0/15 * * * * ?", null), null, t("2025-06-01T10:00:07Z")))
                    .contains(t("2025-06-01T10:00:15Z"));
        }

        @Test
        void quartzSevenFieldsWithYearStopsFiring() {
            var schedule = new Cron("0 0 12 1 1 ? 2030", null);
            Instant only = nextRun(schedule, null, t("2025-06-01T00:00:00Z")).orElseThrow();
            assertThat(only).isEqualTo(t("2030-01-01T12:00:00Z"));
            assertThat(nextRun(schedule, only, only.plusSeconds(5))).isEmpty();
        }

        @Test
        void expressionIsCaseAndWhitespaceInsensitive() {
            assertThat(nextRun(new Cron("  0   12 * *  mon ", null), null, t("2025-06-04T00:00:00Z")))
                    .contains(t("2025-06-09T12:00:00Z"));
        }

        @Test
        void missedSlotsAreCoalescedIntoOneCatchUpRun() {
            var schedule = new Cron("0 9 * * *", null);
            Instant now = t("2025-06-05T12:00:00Z");
            Instant catchUp = nextRun(schedule, t("2025-06-01T09:00:00Z"), now).orElseThrow();
            assertThat(catchUp).isEqualTo(t("2025-06-05T09:00:00Z"));
            assertThat(nextRun(schedule, catchUp, now)).contains(t("2025-06-06T09:00:00Z"));
        }

        @Test
        void invalidExpressionOrZoneIsRejected() {
            Instant now = t("2025-06-01T00:00:00Z");
            assertThatThrownBy(() -> nextRun(new Cron("61 * * * *", null), null, now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> nextRun(new Cron("* * *", null), null, now))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> nextRun(new Cron("0 9 * * *", "Mars/Olympus"), null, now))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void isThreadSafe() {
            Instant now = t("2025-06-01T10:01:00Z");
            List<Optional<Instant>> results = IntStream.range(0, 2_000).parallel()
                    .mapToObj(i -> nextRun(new Cron("0 " + (i % 60) + " * * * ?", "Europe/Berlin"), null, now))
                    .toList();
            for (int i = 0; i < results.size(); i++) {
                int minute = i % 60;
                Instant expected = minute > 1 ? t("2025-06-01T10:00:00Z").plusSeconds(60L * minute)
                        : t("2025-06-01T11:00:00Z").plusSeconds(60L * minute);
                assertThat(results.get(i)).contains(expected);
            }
        }
    }

    @Test
    void manualIsNeverDueOnItsOwn() {
        assertThat(nextRun(new Manual(), null, t("2025-06-01T00:00:00Z"))).isEmpty();
        assertThat(nextRun(new Manual(), t("2025-05-01T00:00:00Z"), t("2025-06-01T00:00:00Z"))).isEmpty();
    }

    /** The first {@code count} runs from {@code now}, each run on time (a few seconds after its slot). */
    private static List<Instant> runs(Schedule schedule, Instant now, int count) {
        Instant last = null;
        var runs = new java.util.ArrayList<Instant>();
        for (int i = 0; i < count; i++) {
            last = nextRun(schedule, last, now).orElseThrow();
            runs.add(last);
            now = last.plusSeconds(5);
        }
        return runs;
    }
}
