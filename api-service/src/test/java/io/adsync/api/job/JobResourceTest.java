package io.adsync.api.job;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.createJob;
import static io.adsync.api.support.Api.cron;
import static io.adsync.api.support.Api.job;
import static io.adsync.api.support.Api.manual;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.queueRun;
import static io.adsync.api.support.Api.timeSpan;
import static io.adsync.api.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class JobResourceTest {

    private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

    @Inject
    TestDb db;

    @Test
    void createWithAnImmediateTimeSpanIsDueNowAndRoundTripsTheSchedule() {
        String domainId = createDomain();
        Body body = job(domainId).with("description", "every 18h 35m 1s");

        Instant before = Instant.now();
        Response created = admin().body(body).post("/jobs");
        Instant after = Instant.now();

        created.then().statusCode(201)
                .body("id", notNullValue())
                .body("type", equalTo("AD_SYNC"))
                .body("name", equalTo(body.get("name")))
                .body("description", equalTo("every 18h 35m 1s"))
                .body("domainId", equalTo(domainId))
                .body("syncAllDomains", equalTo(false))
                .body("requeueOnFailure", equalTo(false))
                .body("enabled", equalTo(true))
                .body("schedule", aMapWithSize(3))
                .body("schedule.type", equalTo("TIME_SPAN"))
                .body("schedule.runWhen", equalTo("IMMEDIATELY"))
                .body("schedule.interval", equalTo("PT18H35M1S"))
                .body("maxDeactivations", equalTo(500))
                .body("maxDeactivationPercent", equalTo(20))
                .body("fullSyncInterval", equalTo("PT24H"))
                .body("currentRunId", nullValue())
                .body("lastRun", nullValue())
                .body("version", equalTo(0));
        String id = created.path("id");
        assertThat(created.header("Location")).endsWith("/jobs/" + id);
        assertThat(instant(created, "nextRunAt")).isBetween(before.minus(CLOCK_SLACK), after.plus(CLOCK_SLACK));
        assertThat(db.value("SELECT schedule->>'interval' FROM sync_job WHERE id = ?", UUID.fromString(id))).isEqualTo("PT18H35M1S");

        admin().get("/jobs/{id}", id).then().statusCode(200)
                .body("schedule.interval", equalTo("PT18H35M1S"))
                .body("nextRunAt", equalTo(created.path("nextRunAt")));
    }

    @Test
    void afterIntervalIsDueOneIntervalFromNow() {
        Instant before = Instant.now();
        Response created = admin().body(job(createDomain()).with("schedule", timeSpan("AFTER_INTERVAL", "PT2H30M"))).post("/jobs");
        Instant after = Instant.now();

        created.then().statusCode(201).body("schedule.runWhen", equalTo("AFTER_INTERVAL")).body("schedule.interval", equalTo("PT2H30M"));
        Duration interval = Duration.ofMinutes(150);
        assertThat(instant(created, "nextRunAt")).isBetween(before.plus(interval).minus(CLOCK_SLACK), after.plus(interval).plus(CLOCK_SLACK));
    }

    @Test
    void atTimeIsDueAtStartAt() {
        Instant start = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Response created = admin().body(job(createDomain())
                .with("schedule", timeSpan("AT_TIME", "PT1H").with("startAt", start.toString()))).post("/jobs");

        created.then().statusCode(201).body("schedule.startAt", equalTo(start.toString()));
        assertThat(instant(created, "nextRunAt")).isEqualTo(start);
    }

    @Test
    void aCronJobIsDueAtTheNextFiring() {
        Response created = admin().body(job(createDomain()).with("schedule", cron("30 2 * * *"))).post("/jobs");

        created.then().statusCode(201).body("schedule.type", equalTo("CRON")).body("schedule.expression", equalTo("30 2 * * *"));
        Instant next = instant(created, "nextRunAt");
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofDays(1)));
        assertThat(next.atZone(java.time.ZoneOffset.UTC).toLocalTime()).isEqualTo(java.time.LocalTime.of(2, 30));
    }

    @Test
    void aSimpleDailyJobIsDueAtItsTimeOfDay() { // 04:30: never in a DST gap
        Body simple = new Body().with("type", "SIMPLE").with("every", "DAILY").with("at", "04:30").with("timeZone", "Europe/Berlin");
        Response created = admin().body(job(createDomain()).with("schedule", simple)).post("/jobs");

        created.then().statusCode(201).body("schedule.every", equalTo("DAILY")).body("schedule.timeZone", equalTo("Europe/Berlin"));
        Instant next = instant(created, "nextRunAt");
        assertThat(next).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofDays(1)).plus(CLOCK_SLACK));
        assertThat(next.atZone(java.time.ZoneId.of("Europe/Berlin")).toLocalTime()).isEqualTo(java.time.LocalTime.of(4, 30));
    }

    @Test
    void aManualJobHasNoNextRun() {
        admin().body(job(createDomain()).with("schedule", manual())).post("/jobs").then().statusCode(201)
                .body("schedule.type", equalTo("MANUAL"))
                .body("nextRunAt", nullValue());
    }

    @Test
    void aDisabledJobHasNoNextRun() {
        String id = admin().body(job(createDomain()).with("enabled", false)).post("/jobs").then().statusCode(201)
                .body("enabled", equalTo(false))
                .body("nextRunAt", nullValue())
                .extract().path("id");
        assertThat(db.value("SELECT next_run_at FROM sync_job WHERE id = ?", UUID.fromString(id))).isNull();
    }

    @Test
    void aJobCanSyncAllDomains() {
        Body body = job(null).without("domainId").with("syncAllDomains", true).with("requeueOnFailure", true)
                .with("maxDeactivations", 50).with("maxDeactivationPercent", 5);

        admin().body(body).post("/jobs").then().statusCode(201)
                .body("syncAllDomains", equalTo(true))
                .body("domainId", nullValue())
                .body("requeueOnFailure", equalTo(true))
                .body("maxDeactivations", equalTo(50))
                .body("maxDeactivationPercent", equalTo(5));
    }

    @Test
    void getOfAnUnknownJobIs404() {
        admin().get("/jobs/{id}", UUID.randomUUID()).then().spec(problem(404));
    }

    @Test
    void listFiltersByDomainAndEnabledAndPaginatesWithTotal() {
        String domainId = createDomain();
        String prefix = unique("list");
        createJob(job(domainId).with("name", prefix + "-a"));
        createJob(job(domainId).with("name", prefix + "-b").with("enabled", false));
        createJob(job(domainId).with("name", prefix + "-c"));
        createJob(); // another domain's job

        admin().queryParam("domainId", domainId).get("/jobs").then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.name", equalTo(List.of(prefix + "-a", prefix + "-b", prefix + "-c")))
                .body("items.domainId", everyItem(equalTo(domainId)));
        admin().queryParam("domainId", domainId).queryParam("enabled", false).get("/jobs").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items.name", equalTo(List.of(prefix + "-b")));
        admin().queryParam("domainId", domainId).queryParam("enabled", true).queryParam("page", 1).queryParam("size", 1)
                .get("/jobs").then().statusCode(200)
                .body("page", equalTo(1))
                .body("size", equalTo(1))
                .body("total", equalTo(2))
                .body("items.name", equalTo(List.of(prefix + "-c")));
    }

    @Test
    void listWithOnlyTheEnabledFilterCountsEveryMatchingJob() {
        createJob(job(createDomain()).with("enabled", false));

        admin().queryParam("enabled", false).queryParam("size", 500).get("/jobs").then().statusCode(200)
                .body("total", equalTo(((Long) db.value("SELECT count(*) FROM sync_job WHERE NOT enabled")).intValue()))
                .body("items.enabled", everyItem(equalTo(false)));
        admin().get("/jobs").then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("total", equalTo((int) db.count("sync_job")));
    }

    @Test
    void listOfAnUnusedDomainIsEmpty() {
        admin().queryParam("domainId", UUID.randomUUID()).get("/jobs").then().statusCode(200)
                .body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void putReplacesTheJobAndAChangedScheduleRecomputesNextRunAt() {
        String domainId = createDomain();
        Body body = job(domainId).with("schedule", manual());
        String id = createJob(body);

        Instant before = Instant.now();
        Response updated = admin().body(body.copy().with("schedule", timeSpan("AFTER_INTERVAL", "PT1H"))
                .with("description", "now hourly").with("version", 0)).put("/jobs/{id}", id);
        Instant after = Instant.now();

        updated.then().statusCode(200)
                .body("schedule.type", equalTo("TIME_SPAN"))
                .body("schedule.interval", equalTo("PT1H"))
                .body("description", equalTo("now hourly"))
                .body("version", equalTo(1));
        assertThat(instant(updated, "nextRunAt")).isBetween(before.plus(Duration.ofHours(1)).minus(CLOCK_SLACK),
                after.plus(Duration.ofHours(1)).plus(CLOCK_SLACK));
        admin().get("/jobs/{id}", id).then().body("nextRunAt", equalTo(updated.path("nextRunAt")));
    }

    @Test
    void putWithTheSameScheduleKeepsNextRunAt() {
        Body body = job(createDomain()).with("schedule", timeSpan("AFTER_INTERVAL", "PT5H"));
        String id = createJob(body);
        String nextRunAt = admin().get("/jobs/{id}", id).path("nextRunAt");

        admin().body(body.copy().with("description", "renamed only")).put("/jobs/{id}", id).then().statusCode(200)
                .body("description", equalTo("renamed only"))
                .body("nextRunAt", equalTo(nextRunAt));
    }

    @Test
    void disablingClearsNextRunAtAndEnablingRecomputesIt() {
        Body body = job(createDomain());
        String id = createJob(body);

        admin().body(body.copy().with("enabled", false)).put("/jobs/{id}", id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("nextRunAt", nullValue());
        Instant before = Instant.now();
        Response enabled = admin().body(body.copy().with("enabled", true)).put("/jobs/{id}", id);
        enabled.then().statusCode(200).body("enabled", equalTo(true));
        assertThat(instant(enabled, "nextRunAt")).isCloseTo(before, within(CLOCK_SLACK));
    }

    @Test
    void putCanMoveAJobToAnotherDomainOrToAllDomains() {
        Body body = job(createDomain());
        String id = createJob(body);
        String otherDomain = createDomain();

        admin().body(body.copy().with("domainId", otherDomain)).put("/jobs/{id}", id).then().statusCode(200)
                .body("domainId", equalTo(otherDomain));
        admin().body(body.copy().without("domainId").with("syncAllDomains", true)).put("/jobs/{id}", id).then().statusCode(200)
                .body("domainId", nullValue()).body("syncAllDomains", equalTo(true));
    }

    @Test
    void theFullSyncIntervalRoundTripsAndIsStoredAsAnInterval() {
        Body body = job(createDomain()).with("fullSyncInterval", "PT12H");
        String id = createJob(body);
        admin().get("/jobs/{id}", id).then().statusCode(200).body("fullSyncInterval", equalTo("PT12H"));
        assertThat(db.value("SELECT full_sync_interval::text FROM sync_job WHERE id = ?", UUID.fromString(id))).isEqualTo("12:00:00");

        admin().body(body.copy().with("fullSyncInterval", "P7D")).put("/jobs/{id}", id).then().statusCode(200)
                .body("fullSyncInterval", equalTo("PT168H"));
        assertThat(db.value("SELECT full_sync_interval = interval '7 days' FROM sync_job WHERE id = ?", UUID.fromString(id))).isEqualTo(true);
        // the bounds are allowed
        admin().body(body.copy().with("fullSyncInterval", "PT1M")).put("/jobs/{id}", id).then().statusCode(200)
                .body("fullSyncInterval", equalTo("PT1M"));
        admin().body(body.copy().with("fullSyncInterval", "P366D")).put("/jobs/{id}", id).then().statusCode(200)
                .body("fullSyncInterval", equalTo("PT8784H"));
        // leaving it out means the default, once a day
        admin().body(body.copy().without("fullSyncInterval")).put("/jobs/{id}", id).then().statusCode(200)
                .body("fullSyncInterval", equalTo("PT24H"));
    }

    @Test
    void putOfAnUnknownJobIs404() {
        admin().body(job(createDomain())).put("/jobs/{id}", UUID.randomUUID()).then().spec(problem(404));
    }

    @Test
    void deleteIs204AndRemovesTheRunHistory() {
        String id = createJob();
        String runId = queueRun(id);
        admin().post("/runs/{id}/cancel", runId).then().statusCode(202);

        admin().delete("/jobs/{id}", id).then().statusCode(204);

        admin().get("/jobs/{id}", id).then().spec(problem(404));
        admin().get("/runs/{id}", runId).then().spec(problem(404));
        admin().delete("/jobs/{id}", id).then().spec(problem(404));
    }

    @Test
    void deleteWhileARunIsInProgressIs409() {
        String id = createJob();
        UUID runId = UUID.randomUUID();
        db.update("UPDATE sync_job SET current_run_id = ? WHERE id = ?", runId, UUID.fromString(id));

        admin().delete("/jobs/{id}", id).then().spec(problem(409))
                .body("currentRunId", equalTo(runId.toString()))
                .body("detail", containsString("in progress"));

        admin().get("/jobs/{id}", id).then().statusCode(200).body("currentRunId", equalTo(runId.toString()));
    }

    @Test
    void theLastRunSummaryIsShown() {
        String id = createJob();
        UUID runId = UUID.randomUUID();
        db.update("""
                UPDATE sync_job SET last_run_id = ?, last_run_state = 'FAILED', last_run_started_at = now() - interval '1 minute',
                       last_run_finished_at = now(), last_run_error = 'AUTH: invalid credentials' WHERE id = ?""",
                runId, UUID.fromString(id));

        admin().get("/jobs/{id}", id).then().statusCode(200)
                .body("lastRun.id", equalTo(runId.toString()))
                .body("lastRun.state", equalTo("FAILED"))
                .body("lastRun.startedAt", notNullValue())
                .body("lastRun.finishedAt", notNullValue())
                .body("lastRun.error", equalTo("AUTH: invalid credentials"));
    }

    static Instant instant(Response response, String path) {
        String value = response.path(path);
        assertThat(value).as(path).isNotNull();
        return Instant.parse(value);
    }
}
