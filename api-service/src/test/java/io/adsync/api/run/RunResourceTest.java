package io.adsync.api.run;

import io.adsync.api.support.Api;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.createJob;
import static io.adsync.api.support.Api.job;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.queueRun;
import static io.adsync.api.support.Api.violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class RunResourceTest {

    @Inject
    TestDb db;

    @Test
    void runNowQueuesAManualRun() {
        String jobId = createJob();

        Response queued = admin().post("/jobs/{id}/runs", jobId);

        queued.then().statusCode(202)
                .body("id", notNullValue())
                .body("jobId", equalTo(jobId))
                .body("attempt", equalTo(1))
                .body("state", equalTo("QUEUED"))
                .body("trigger", equalTo("MANUAL"))
                .body("cancelRequested", equalTo(false))
                .body("options", anEmptyMap())
                .body("createdAt", notNullValue())
                .body("notBefore", notNullValue())
                .body("startedAt", nullValue())
                .body("finishedAt", nullValue())
                .body("jobServerId", nullValue())
                .body("error", nullValue());
        String runId = queued.path("id");
        assertThat(queued.header("Location")).endsWith("/runs/" + runId);
        assertThat(db.value("SELECT state FROM job_run WHERE id = ?", UUID.fromString(runId))).isEqualTo("QUEUED");
        admin().get(queued.header("Location")).then().statusCode(200).body("id", equalTo(runId));
    }

    @Test
    void runNowAcceptsAnEmptyJsonObject() {
        String jobId = createJob();
        admin().body("{}").post("/jobs/{id}/runs", jobId).then().statusCode(202)
                .body("state", equalTo("QUEUED")).body("options", anEmptyMap());
    }

    @Test
    void runNowNeedsNoBodyAndNoContentType() throws Exception {
        String jobId = createJob();
        // RestAssured always sends a Content-Type on POST; a plain HTTP client sends none for an empty body
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/jobs/" + jobId + "/runs"))
                .header("Authorization", "Bearer " + Api.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();

        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(request.headers().firstValue("Content-Type")).isEmpty();
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JsonPath.from(response.body()).getString("state")).isEqualTo("QUEUED");
        assertThat(JsonPath.from(response.body()).getMap("options")).isEmpty();
    }

    @Test
    void runNowWorksForADisabledJob() {
        String jobId = createJob(job(createDomain()).with("enabled", false));

        admin().post("/jobs/{id}/runs", jobId).then().statusCode(202)
                .body("state", equalTo("QUEUED")).body("trigger", equalTo("MANUAL"));
    }

    @Test
    void runNowTakesModeAndMassDeactivationOptions() {
        String jobId = createJob();

        String runId = admin().body("{\"mode\":\"FULL\",\"allowMassDeactivation\":true}").post("/jobs/{id}/runs", jobId)
                .then().statusCode(202)
                .body("options", aMapWithSize(2))
                .body("options.mode", equalTo("FULL"))
                .body("options.allowMassDeactivation", equalTo(true))
                .extract().path("id");

        admin().get("/runs/{id}", runId).then().statusCode(200)
                .body("options.mode", equalTo("FULL"))
                .body("options.allowMassDeactivation", equalTo(true));
        assertThat(db.value("SELECT options->>'mode' FROM job_run WHERE id = ?", UUID.fromString(runId))).isEqualTo("FULL");
    }

    @Test
    void runNowRefusesAnUnknownModeAndQueuesNothing() {
        String jobId = createJob();
        admin().body("{\"mode\":\"PARTIAL\"}").post("/jobs/{id}/runs", jobId).then().spec(violation(400, "mode"));
        admin().body("{\"mode\":\"FULL\",\"force\":true}").post("/jobs/{id}/runs", jobId).then().spec(violation(400, "force"));
        admin().body("{\"mode\":").post("/jobs/{id}/runs", jobId).then().spec(problem(400));

        admin().get("/jobs/{id}/runs", jobId).then().body("total", equalTo(0));
    }

    @Test
    void runNowOfAnUnknownJobIs404() {
        long before = db.count("job_run");
        admin().post("/jobs/{id}/runs", UUID.randomUUID()).then().spec(problem(404));
        assertThat(db.count("job_run")).isEqualTo(before);
    }

    @Test
    void historyIsNewestFirstAndPaginatedWithTotal() {
        String jobId = createJob();
        String first = queueRun(jobId);
        String second = queueRun(jobId);
        String third = queueRun(jobId);
        queueRun(createJob()); // another job's run

        admin().get("/jobs/{id}/runs", jobId).then().statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(0))
                .body("size", equalTo(20))
                .body("items.id", equalTo(List.of(third, second, first)));
        admin().queryParam("page", 1).queryParam("size", 2).get("/jobs/{id}/runs", jobId).then().statusCode(200)
                .body("total", equalTo(3))
                .body("page", equalTo(1))
                .body("size", equalTo(2))
                .body("items.id", equalTo(List.of(first)));
    }

    @Test
    void historyOfAJobWithoutRunsIsEmpty() {
        admin().get("/jobs/{id}/runs", createJob()).then().statusCode(200).body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void historyOfAnUnknownJobIs404() {
        admin().get("/jobs/{id}/runs", UUID.randomUUID()).then().spec(problem(404));
    }

    @Test
    void getOfAnUnknownRunIs404() {
        admin().get("/runs/{id}", UUID.randomUUID()).then().spec(problem(404));
    }

    @Test
    void getShowsWhatTheWorkerWrote() {
        String runId = queueRun(createJob());
        db.update("""
                UPDATE job_run SET state = 'SUCCEEDED', started_at = now() - interval '1 minute', finished_at = now(),
                       mode = 'FULL', mode_reason = 'no watermark yet',
                       progress = '{"entriesRead":3000,"pages":3,"domain":"corp.example.com"}',
                       stats = '{"created":2900,"updated":0,"deactivated":0,"reactivated":0,"unchanged":100,"errors":0}'
                 WHERE id = ?""", UUID.fromString(runId));

        admin().get("/runs/{id}", runId).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED"))
                .body("mode", equalTo("FULL"))
                .body("modeReason", equalTo("no watermark yet"))
                .body("progress.entriesRead", equalTo(3000))
                .body("progress.domain", equalTo("corp.example.com"))
                .body("stats.created", equalTo(2900))
                .body("stats.unchanged", equalTo(100))
                .body("startedAt", notNullValue())
                .body("finishedAt", notNullValue());
    }

    @Test
    void cancellingAQueuedRunCancelsItAtOnce() {
        String jobId = createJob();
        String runId = queueRun(jobId);

        Instant before = Instant.now().minusSeconds(2);
        Response cancelled = admin().post("/runs/{id}/cancel", runId);

        cancelled.then().statusCode(202)
                .body("id", equalTo(runId))
                .body("state", equalTo("CANCELLED"))
                .body("error.category", equalTo("CANCELLED"))
                .body("error.message", notNullValue())
                .body("finishedAt", notNullValue());
        assertThat(Instant.parse(cancelled.path("finishedAt"))).isAfter(before);
        admin().get("/runs/{id}", runId).then().body("state", equalTo("CANCELLED")).body("error.category", equalTo("CANCELLED"));
        assertThat(db.value("SELECT error_category FROM job_run WHERE id = ?", UUID.fromString(runId))).isEqualTo("CANCELLED");
        // the run ledger keeps the job's summary in step: its last run is the cancelled one
        admin().get("/jobs/{id}", jobId).then().statusCode(200)
                .body("lastRun.id", equalTo(runId))
                .body("lastRun.state", equalTo("CANCELLED"))
                .body("lastRun.finishedAt", notNullValue());
    }

    @Test
    void cancellingAFinishedRunIs409() {
        String runId = queueRun(createJob());
        admin().post("/runs/{id}/cancel", runId).then().statusCode(202);

        admin().post("/runs/{id}/cancel", runId).then().spec(problem(409)).body("state", equalTo("CANCELLED"));

        admin().get("/runs/{id}", runId).then().body("state", equalTo("CANCELLED"));
    }

    @Test
    void cancellingASucceededRunIs409() {
        String runId = queueRun(createJob());
        db.update("UPDATE job_run SET state = 'SUCCEEDED', finished_at = now() WHERE id = ?", UUID.fromString(runId));

        admin().post("/runs/{id}/cancel", runId).then().spec(problem(409)).body("state", equalTo("SUCCEEDED"));
    }

    @Test
    void cancellingARunningRunRequestsCancellation() {
        String jobId = createJob();
        String runId = queueRun(jobId);
        db.update("UPDATE job_run SET state = 'RUNNING', started_at = now(), lease_until = now() + interval '40 seconds' WHERE id = ?",
                UUID.fromString(runId));
        db.update("UPDATE sync_job SET current_run_id = ? WHERE id = ?", UUID.fromString(runId), UUID.fromString(jobId));

        admin().post("/runs/{id}/cancel", runId).then().statusCode(202)
                .body("state", equalTo("RUNNING"))
                .body("cancelRequested", equalTo(true))
                .body("finishedAt", nullValue());

        assertThat(db.value("SELECT cancel_requested FROM job_run WHERE id = ?", UUID.fromString(runId))).isEqualTo(true);
        admin().get("/runs/{id}", runId).then().body("cancelRequested", equalTo(true)).body("state", equalTo("RUNNING"));
        // asking again is harmless while the worker has not stopped it yet
        admin().post("/runs/{id}/cancel", runId).then().statusCode(202).body("cancelRequested", equalTo(true));
    }

    @Test
    void cancellingAnUnknownRunIs404() {
        admin().post("/runs/{id}/cancel", UUID.randomUUID()).then().spec(problem(404));
    }
}
