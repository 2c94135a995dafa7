package io.adsync.api.job;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** OpenAPI description of the schedule object (the model is a sealed type the generator cannot see through). */
@Schema(name = "Schedule", description = """
        One of:
        - TIME_SPAN: {"type":"TIME_SPAN","runWhen":"IMMEDIATELY|AFTER_INTERVAL|AT_TIME","interval":"PT18H35M1S","startAt":"<instant, AT_TIME only>"}.
          IMMEDIATELY: first run due at once, then every interval after each scheduled start. AFTER_INTERVAL: first run one
          interval from now. Interval: ISO-8601 duration from 1 second to 366 days.
        - SIMPLE: {"type":"SIMPLE","every":"EVERY_5_MINUTES|EVERY_15_MINUTES|EVERY_30_MINUTES|HOURLY|EVERY_12_HOURS|DAILY|WEEKLY",
          "at":"02:30","timeZone":"Europe/Berlin","dayOfWeek":"MONDAY"}; at, timeZone apply to DAILY and WEEKLY, dayOfWeek to WEEKLY.
        - CRON: {"type":"CRON","expression":"30 2 * * 1-5","timeZone":"UTC"}; 5 fields (Unix) or 6-7 (Quartz, with seconds).
        - MANUAL: {"type":"MANUAL"}: runs only when started by hand.
        Runs missed while the system was down are coalesced into one run, not replayed.""",
        example = "{\"type\":\"TIME_SPAN\",\"runWhen\":\"IMMEDIATELY\",\"interval\":\"PT18H35M1S\"}")
public class ScheduleDoc {
    @Schema(enumeration = {"TIME_SPAN", "SIMPLE", "CRON", "MANUAL"}, required = true)
    public String type;
    @Schema(enumeration = {"IMMEDIATELY", "AFTER_INTERVAL", "AT_TIME"})
    public String runWhen;
    @Schema(example = "PT18H35M1S")
    public String interval;
    @Schema(example = "2026-12-01T02:00:00Z")
    public String startAt;
    @Schema(enumeration = {"EVERY_5_MINUTES", "EVERY_15_MINUTES", "EVERY_30_MINUTES", "HOURLY", "EVERY_12_HOURS", "DAILY", "WEEKLY"})
    public String every;
    @Schema(example = "02:30")
    public String at;
    @Schema(example = "Europe/Berlin")
    public String timeZone;
    @Schema(example = "MONDAY")
    public String dayOfWeek;
    @Schema(example = "30 2 * * 1-5")
    public String expression;
}
