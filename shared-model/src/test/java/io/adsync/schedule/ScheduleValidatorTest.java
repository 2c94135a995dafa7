package io.adsync.schedule;

import io.adsync.common.Violation;
import io.adsync.schedule.Schedule.Cron;
import io.adsync.schedule.Schedule.Manual;
import io.adsync.schedule.Schedule.RunWhen;
import io.adsync.schedule.Schedule.Simple;
import io.adsync.schedule.Schedule.SimpleEvery;
import io.adsync.schedule.Schedule.TimeSpan;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleValidatorTest {

    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    private static final Instant START = Instant.parse("2025-07-01T08:00:00Z");

    private static List<Violation> validate(Schedule schedule) {
        return ScheduleValidator.validate(schedule, "schedule", NOW);
    }

    private static List<String> fields(Schedule schedule) {
        return validate(schedule).stream().map(Violation::field).toList();
    }

    @Test
    void nullScheduleIsRequired() {
        assertThat(validate(null)).containsExactly(new Violation("schedule", "is required"));
    }

    @Test
    void prefixIsPrependedToTheField() {
        var schedule = new TimeSpan(RunWhen.IMMEDIATELY, null, null);
        assertThat(ScheduleValidator.validate(schedule, "jobs[0].schedule", NOW))
                .extracting(Violation::field).containsExactly("jobs[0].schedule.interval");
        assertThat(ScheduleValidator.validate(schedule, "", NOW))
                .extracting(Violation::field).containsExactly("interval");
    }

    @Test
    void twoArgumentFormValidatesAgainstTheClock() {
        assertThat(ScheduleValidator.validate(new Cron("0 9 * * *", null), "schedule")).isEmpty();
        assertThat(ScheduleValidator.validate(new Cron("0 0 12 1 1 ? 2020", null), "schedule"))
                .extracting(Violation::field).containsExactly("schedule.expression");
    }

    @Test
    void manualIsAlwaysValid() {
        assertThat(validate(new Manual())).isEmpty();
    }

    @Nested
    class TimeSpans {

        @Test
        void validVariants() {
            assertThat(validate(new TimeSpan(RunWhen.IMMEDIATELY, Duration.parse("PT18H35M1S"), null))).isEmpty();
            assertThat(validate(new TimeSpan(RunWhen.AFTER_INTERVAL, Duration.ofSeconds(1), null))).isEmpty();
            assertThat(validate(new TimeSpan(RunWhen.AT_TIME, Duration.ofDays(366), START))).isEmpty();
        }

        @Test
        void runWhenIsRequired() {
            assertThat(fields(new TimeSpan(null, Duration.ofHours(1), null))).containsExactly("schedule.runWhen");
        }

        @Test
        void intervalIsRequired() {
            assertThat(validate(new TimeSpan(RunWhen.IMMEDIATELY, null, null)))
                    .containsExactly(new Violation("schedule.interval", "is required"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"PT0S", "-PT1H", "PT0.999S", "P366DT0.001S", "P367D"})
        void intervalOutOfRangeIsRejected(String interval) {
            var violations = validate(new TimeSpan(RunWhen.IMMEDIATELY, Duration.parse(interval), null));
            assertThat(violations).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("schedule.interval");
                assertThat(v.message()).contains("PT1S", "PT8784H");
            });
        }

        @Test
        void startAtIsRequiredForAtTime() {
            assertThat(validate(new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(1), null)))
                    .containsExactly(new Violation("schedule.startAt", "is required when runWhen is AT_TIME"));
        }

        @ParameterizedTest
        @EnumSource(value = RunWhen.class, names = {"IMMEDIATELY", "AFTER_INTERVAL"})
        void startAtIsRejectedUnlessAtTime(RunWhen runWhen) {
            assertThat(validate(new TimeSpan(runWhen, Duration.ofHours(1), START)))
                    .containsExactly(new Violation("schedule.startAt", "is only allowed when runWhen is AT_TIME"));
        }

        @Test
        void allViolationsAreReported() {
            assertThat(fields(new TimeSpan(null, null, START))).containsExactly("schedule.runWhen", "schedule.interval");
        }
    }

    @Nested
    class Simples {

        @ParameterizedTest
        @EnumSource(SimpleEvery.class)
        void everyAloneIsValid(SimpleEvery every) {
            assertThat(validate(new Simple(every, null, null, null))).isEmpty();
        }

        @Test
        void dailyAndWeeklyTakeAtAndTimeZone() {
            assertThat(validate(new Simple(SimpleEvery.DAILY, LocalTime.of(2, 30), "Europe/Berlin", null))).isEmpty();
            assertThat(validate(new Simple(SimpleEvery.WEEKLY, LocalTime.of(2, 30, 15), "UTC", DayOfWeek.SUNDAY))).isEmpty();
        }

        @Test
        void everyIsRequired() {
            assertThat(validate(new Simple(null, null, null, null)))
                    .containsExactly(new Violation("schedule.every", "is required"));
        }

        @ParameterizedTest
        @EnumSource(value = SimpleEvery.class, names = {"DAILY", "WEEKLY"}, mode = EnumSource.Mode.EXCLUDE)
        void atTimeZoneAndDayOfWeekAreRejectedForSubDailyCadences(SimpleEvery every) {
            assertThat(validate(new Simple(every, LocalTime.NOON, "Europe/Berlin", DayOfWeek.MONDAY))).containsExactly(
                    new Violation("schedule.at", "is only allowed when every is DAILY or WEEKLY"),
                    new Violation("schedule.timeZone", "is only allowed when every is DAILY or WEEKLY"),
                    new Violation("schedule.dayOfWeek", "is only allowed when every is WEEKLY"));
        }

        @Test
        void dayOfWeekIsRejectedForDaily() {
            assertThat(validate(new Simple(SimpleEvery.DAILY, LocalTime.NOON, null, DayOfWeek.MONDAY)))
                    .containsExactly(new Violation("schedule.dayOfWeek", "is only allowed when every is WEEKLY"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Mars/Olympus", "", "CEST"})
        void timeZoneMustBeAValidZoneId(String zone) {
            assertThat(fields(new Simple(SimpleEvery.DAILY, null, zone, null))).containsExactly("schedule.timeZone");
        }

        @Test
        void atMustBeAWholeSecond() {
            assertThat(validate(new Simple(SimpleEvery.DAILY, LocalTime.of(2, 30, 0, 500_000_000), null, null)))
                    .containsExactly(new Violation("schedule.at", "must be a whole second"));
        }
    }

    @Nested
    class Crons {

        @ParameterizedTest
        @ValueSource(strings = {"*/5 * * * *", "0 9 * * 1-5", "0 0 9 ? * MON-FRI", "0 0 12 1 1 ? 2030", "0 0 0 L * ?"})
        void validUnixAndQuartzExpressions(String expression) {
            assertThat(validate(new Cron(expression, "Europe/Berlin"))).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "\t"})
        void expressionIsRequired(String blank) {
            assertThat(validate(new Cron(null, null))).containsExactly(new Violation("schedule.expression", "is required"));
            assertThat(validate(new Cron(blank, null))).containsExactly(new Violation("schedule.expression", "is required"));
        }

        @Test
        void unparsableExpressionCarriesTheParsersReason() {
            assertThat(validate(new Cron("61 * * * *", null))).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("schedule.expression");
                assertThat(v.message()).startsWith("is not a valid cron expression: ").contains("61", "[0, 59]");
            });
        }

        @Test
        void wrongNumberOfFieldsIsRejected() {
            assertThat(validate(new Cron("* * *", null))).singleElement().satisfies(v -> {
                assertThat(v.field()).isEqualTo("schedule.expression");
                assertThat(v.message()).contains("5 fields", "got 3");
            });
        }

        @Test
        void quartzNeedsAQuestionMarkInDayOfMonthOrDayOfWeek() {
            assertThat(fields(new Cron("0 0 12 * * *", null))).containsExactly("schedule.expression");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0 0 31 2 *", "0 0 0 30 2 ?", "0 0 12 1 1 ? 2020"})
        void expressionThatNeverFiresIsRejected(String expression) {
            assertThat(validate(new Cron(expression, null)))
                    .containsExactly(new Violation("schedule.expression", "never fires"));
        }

        @Test
        void timeZoneMustBeValid() {
            assertThat(validate(new Cron("0 9 * * *", "Mars/Olympus")))
                    .containsExactly(new Violation("schedule.timeZone", "is not a valid time zone id: 'Mars/Olympus'"));
        }
    }
}
