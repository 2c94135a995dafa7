package io.adsync.schedule;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.adsync.schedule.Schedule.Cron;
import io.adsync.schedule.Schedule.Manual;
import io.adsync.schedule.Schedule.RunWhen;
import io.adsync.schedule.Schedule.Simple;
import io.adsync.schedule.Schedule.SimpleEvery;
import io.adsync.schedule.Schedule.TimeSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleJsonTest {

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    static Stream<Schedule> variants() {
        return Stream.of(
                new TimeSpan(RunWhen.IMMEDIATELY, Duration.parse("PT18H35M1S"), null),
                new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(6), Instant.parse("2025-07-01T08:00:00Z")),
                new Simple(SimpleEvery.HOURLY, null, null, null),
                new Simple(SimpleEvery.WEEKLY, LocalTime.of(2, 30), "Europe/Berlin", DayOfWeek.SUNDAY),
                new Cron("0 9 * * 1-5", "Europe/Berlin"),
                new Cron("0 0 9 ? * MON-FRI", null),
                new Manual());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void roundTrips(Schedule schedule) throws Exception {
        String json = mapper.writeValueAsString(schedule);

        assertThat(json).containsOnlyOnce("\"type\":\"" + schedule.type() + "\"").doesNotContain("null");
        assertThat(mapper.readValue(json, Schedule.class)).isEqualTo(schedule);
    }

    @Test
    void readsTheSpecExample() throws Exception {
        Schedule schedule = mapper.readValue(
                "{\"type\":\"TIME_SPAN\",\"runWhen\":\"IMMEDIATELY\",\"interval\":\"PT18H35M1S\"}", Schedule.class);

        assertThat(schedule).isEqualTo(new TimeSpan(RunWhen.IMMEDIATELY, Duration.ofSeconds(18 * 3600 + 35 * 60 + 1), null));
    }

    @Test
    void readsIsoTimesAndZones() throws Exception {
        assertThat(mapper.readValue("""
                {"type":"SIMPLE","every":"WEEKLY","at":"02:30","timeZone":"Europe/Berlin","dayOfWeek":"SUNDAY"}""",
                Schedule.class))
                .isEqualTo(new Simple(SimpleEvery.WEEKLY, LocalTime.of(2, 30), "Europe/Berlin", DayOfWeek.SUNDAY));
        assertThat(mapper.readValue("""
                {"type":"TIME_SPAN","runWhen":"AT_TIME","interval":"PT6H","startAt":"2025-07-01T08:00:00Z"}""",
                Schedule.class))
                .isEqualTo(new TimeSpan(RunWhen.AT_TIME, Duration.ofHours(6), Instant.parse("2025-07-01T08:00:00Z")));
        assertThat(mapper.readValue("{\"type\":\"MANUAL\"}", Schedule.class)).isEqualTo(new Manual());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"WHENEVER\"}",
            "{\"type\":\"time_span\",\"runWhen\":\"IMMEDIATELY\",\"interval\":\"PT1H\"}",
            "{\"runWhen\":\"IMMEDIATELY\",\"interval\":\"PT1H\"}"})
    void unknownOrMissingTypeFails(String json) {
        assertThatThrownBy(() -> mapper.readValue(json, Schedule.class)).isInstanceOf(InvalidTypeIdException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"TIME_SPAN\",\"runWhen\":\"SOMETIMES\",\"interval\":\"PT1H\"}",
            "{\"type\":\"SIMPLE\",\"every\":\"EVERY_MINUTE\"}",
            "{\"type\":\"SIMPLE\",\"every\":\"WEEKLY\",\"dayOfWeek\":\"FUNDAY\"}"})
    void unknownEnumValueFails(String json) {
        assertThatThrownBy(() -> mapper.readValue(json, Schedule.class))
                .isInstanceOf(InvalidFormatException.class)
                .isInstanceOf(JsonMappingException.class);
    }
}
