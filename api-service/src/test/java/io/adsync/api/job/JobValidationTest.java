package io.adsync.api.job;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.createJob;
import static io.adsync.api.support.Api.cron;
import static io.adsync.api.support.Api.job;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.timeSpan;
import static io.adsync.api.support.Api.violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Every bad job body is refused with a problem naming the field, and leaves the database as it was. */
@QuarkusTest
class JobValidationTest {

    @Inject
    TestDb db;

    private String domainId;
    private long jobsBefore;

    @BeforeEach
    void setUp() {
        domainId = createDomain();
        jobsBefore = db.count("sync_job");
    }

    @AfterEach
    void nothingWasCreated() {
        assertThat(db.count("sync_job")).as("sync_job rows").isEqualTo(jobsBefore);
    }

    @Test
    void malformedJsonIs400() {
        admin().body("{\"name\": \"x\", \"schedule\": {\"type\": \"MANUAL\"").post("/jobs")
                .then().spec(problem(400)).body("detail", containsString("JSON"));
    }

    @Test
    void anUnknownRunWhenIs400NamingTheField() {
        admin().body(job(domainId).with("schedule", timeSpan("SOMETIMES", "PT1H"))).post("/jobs")
                .then().spec(violation(400, "schedule.runWhen"))
                .body("violations[0].message", containsString("SOMETIMES"))
                .body("violations[0].message", containsString("IMMEDIATELY"));
    }

    @Test
    void anUnknownScheduleTypeIs400() {
        admin().body(job(domainId).with("schedule", new Body().with("type", "HOURLY"))).post("/jobs")
                .then().spec(violation(400, "schedule.type")).body("detail", containsString("HOURLY"));
    }

    @Test
    void aScheduleWithoutTypeIs400() {
        admin().body(job(domainId).with("schedule", new Body().with("runWhen", "IMMEDIATELY").with("interval", "PT1H"))).post("/jobs")
                .then().spec(violation(400, "schedule.type"));
    }

    @ParameterizedTest(name = "interval {0}")
    @ValueSource(strings = {"PT0S", "-PT1H", "PT-5S", "P367D", "PT8784H1S"})
    void anIntervalOutsideOneSecondTo366DaysIs400(String interval) {
        admin().body(job(domainId).with("schedule", timeSpan("IMMEDIATELY", interval))).post("/jobs")
                .then().spec(violation(400, "schedule.interval"));
    }

    @Test
    void theLongestAllowedIntervalIs366Days() {
        createJob(job(domainId).with("schedule", timeSpan("AFTER_INTERVAL", "P366D")));
        jobsBefore++;
    }

    @Test
    void anIntervalThatIsNotADurationIs400() {
        admin().body(job(domainId).with("schedule", timeSpan("IMMEDIATELY", "18 hours"))).post("/jobs")
                .then().spec(violation(400, "schedule.interval"));
    }

    @ParameterizedTest(name = "fullSyncInterval {0}")
    @ValueSource(strings = {"PT59S", "PT0S", "-PT1H", "P367D", "PT8784H1S"})
    void aFullSyncIntervalOutsideOneMinuteTo366DaysIs400(String interval) {
        admin().body(job(domainId).with("fullSyncInterval", interval)).post("/jobs")
                .then().spec(violation(400, "fullSyncInterval")).body("detail", containsString("PT1M"));
    }

    @Test
    void aFullSyncIntervalThatIsNotADurationIs400() {
        admin().body(job(domainId).with("fullSyncInterval", "daily")).post("/jobs")
                .then().spec(violation(400, "fullSyncInterval"));
    }

    @Test
    void aMissingIntervalIs400() {
        admin().body(job(domainId).with("schedule", timeSpan("IMMEDIATELY", null))).post("/jobs")
                .then().spec(violation(400, "schedule.interval"));
    }

    @Test
    void atTimeWithoutStartAtIs400() {
        admin().body(job(domainId).with("schedule", timeSpan("AT_TIME", "PT1H"))).post("/jobs")
                .then().spec(violation(400, "schedule.startAt"));
    }

    @ParameterizedTest(name = "cron {0}")
    @ValueSource(strings = {"not a cron", "61 * * * *", "* * *", "0 0 30 2 *"})
    void aBadCronExpressionIs400(String expression) {
        admin().body(job(domainId).with("schedule", cron(expression))).post("/jobs")
                .then().spec(violation(400, "schedule.expression"));
    }

    @Test
    void aBadTimeZoneIs400() {
        admin().body(job(domainId).with("schedule", cron("0 3 * * *").with("timeZone", "Mars/Olympus"))).post("/jobs")
                .then().spec(violation(400, "schedule.timeZone"));
    }

    @Test
    void bothDomainIdAndSyncAllDomainsIs400() {
        admin().body(job(domainId).with("syncAllDomains", true)).post("/jobs").then().spec(violation(400, "domainId"));
    }

    @Test
    void neitherDomainIdNorSyncAllDomainsIs400() {
        admin().body(job(domainId).without("domainId")).post("/jobs").then().spec(violation(400, "domainId"));
        admin().body(job(domainId).without("domainId").with("syncAllDomains", false)).post("/jobs").then().spec(violation(400, "domainId"));
    }

    @Test
    void anUnknownDomainIdIs422() {
        UUID unknown = UUID.randomUUID();
        admin().body(job(unknown.toString())).post("/jobs")
                .then().spec(violation(422, "domainId")).body("detail", containsString(unknown.toString()));
    }

    @Test
    void aDomainIdThatIsNotAUuidIs400() {
        admin().body(job("not-a-uuid")).post("/jobs").then().spec(violation(400, "domainId"));
    }

    @Test
    void aDuplicateNameIs409CaseInsensitively() {
        Body first = job(domainId);
        String firstId = createJob(first);
        jobsBefore++;

        admin().body(job(domainId).with("name", ((String) first.get("name")).toUpperCase())).post("/jobs")
                .then().spec(problem(409)).body("existingId", equalTo(firstId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "schedule"})
    void aMissingRequiredFieldIs400(String field) {
        admin().body(job(domainId).without(field)).post("/jobs").then().spec(violation(400, field));
    }

    @Test
    void aBlankNameIs400() {
        admin().body(job(domainId).with("name", "   ")).post("/jobs").then().spec(violation(400, "name"));
    }

    @Test
    void anOutOfRangeDeletionGuardIs400() {
        admin().body(job(domainId).with("maxDeactivationPercent", 101)).post("/jobs").then().spec(violation(400, "maxDeactivationPercent"));
        admin().body(job(domainId).with("maxDeactivations", -1)).post("/jobs").then().spec(violation(400, "maxDeactivations"));
    }

    @Test
    void anUnknownPropertyIs400NamingIt() {
        admin().body(job(domainId).with("cronExpression", "0 3 * * *")).post("/jobs")
                .then().spec(violation(400, "cronExpression")).body("detail", containsString("cronExpression"));
    }

    @Test
    void anUnknownPropertyInTheScheduleIs400NamingIt() {
        admin().body(job(domainId).with("schedule", timeSpan("IMMEDIATELY", "PT1H").with("every", "DAILY"))).post("/jobs")
                .then().spec(violation(400, "schedule.every"));
    }

    @Test
    void anUnknownJobTypeIs400() {
        admin().body(job(domainId).with("type", "LDAP_EXPORT")).post("/jobs").then().spec(violation(400, "type"));
    }

    @Test
    void aStaleVersionOnPutIs409AndChangesNothing() {
        Body body = job(domainId);
        String id = createJob(body);
        jobsBefore++;
        admin().body(body.copy().with("description", "first").with("version", 0)).put("/jobs/{id}", id)
                .then().statusCode(200).body("version", equalTo(1));

        admin().body(body.copy().with("description", "second").with("version", 0)).put("/jobs/{id}", id)
                .then().spec(problem(409)).body("currentVersion", equalTo(1));

        admin().get("/jobs/{id}", id).then().body("description", equalTo("first")).body("version", equalTo(1));
    }

    @Test
    void renamingOntoAnotherJobsNameIs409() {
        Body first = job(domainId);
        createJob(first);
        Body second = job(domainId);
        String secondId = createJob(second);
        jobsBefore += 2;

        admin().body(second.copy().with("name", first.get("name"))).put("/jobs/{id}", secondId).then().spec(problem(409));

        admin().get("/jobs/{id}", secondId).then().body("name", equalTo(second.get("name")));
    }

    @Test
    void aBadUpdateChangesNothing() {
        Body body = job(domainId);
        String id = createJob(body);
        jobsBefore++;
        Object rowBefore = row(id);

        admin().body(body.copy().with("schedule", timeSpan("IMMEDIATELY", "PT0S"))).put("/jobs/{id}", id)
                .then().spec(violation(400, "schedule.interval"));
        admin().body(body.copy().with("schedule", cron("nope"))).put("/jobs/{id}", id).then().spec(violation(400, "schedule.expression"));
        admin().body(body.copy().with("domainId", UUID.randomUUID().toString())).put("/jobs/{id}", id).then().spec(violation(422, "domainId"));
        admin().body(body.copy().with("syncAllDomains", true)).put("/jobs/{id}", id).then().spec(violation(400, "domainId"));
        admin().body(body.copy().with("schedule", timeSpan("NEVER", "PT1H"))).put("/jobs/{id}", id).then().spec(violation(400, "schedule.runWhen"));
        admin().body(body.copy().with("unknown", 1)).put("/jobs/{id}", id).then().spec(violation(400, "unknown"));
        admin().body("[").put("/jobs/{id}", id).then().spec(problem(400));

        assertThat(row(id)).isEqualTo(rowBefore);
    }

    @Test
    void severalBadFieldsAreAllNamed() {
        admin().body(job(domainId).with("syncAllDomains", true).with("schedule", timeSpan(null, "PT0S"))).post("/jobs")
                .then().spec(violation(400, "domainId"))
                .body("violations", hasSize(3))
                .body("detail", containsString("3 fields"));
    }

    private Object row(String id) {
        return db.value("SELECT row_to_json(j)::text FROM sync_job j WHERE id = ?", UUID.fromString(id));
    }
}
