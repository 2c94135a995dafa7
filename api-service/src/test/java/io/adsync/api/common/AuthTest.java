package io.adsync.api.common;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.anonymous;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.createJob;
import static io.adsync.api.support.Api.domain;
import static io.adsync.api.support.Api.job;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.queueRun;
import static io.adsync.api.support.Api.reader;
import static io.adsync.api.support.Api.unique;
import static io.adsync.api.support.Api.withKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class AuthTest {

    @Inject
    TestDb db;

    @ParameterizedTest
    @ValueSource(strings = {"/domains", "/jobs", "/job-servers", "/accounts", "/runs/00000000-0000-0000-0000-000000000000", "/no-such-path"})
    void withoutAKeyEveryApiPathIs401WithAChallenge(String path) {
        anonymous().get(path).then().spec(problem(401))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("title", equalTo("Unauthorized"))
                .body("detail", containsString("Authorization: Bearer"));
    }

    @Test
    void aWriteWithoutAKeyIs401AndChangesNothing() {
        long before = db.count("ad_domain");
        anonymous().body(domain()).post("/domains").then().spec(problem(401)).header("WWW-Authenticate", startsWith("Bearer"));
        assertThat(db.count("ad_domain")).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-key", "TEST-ADMIN-KEY", "test-admin-key-2", "test-reader-ke"})
    void anUnknownKeyIs401(String key) {
        withKey(key).get("/domains").then().spec(problem(401))
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void otherSchemesThanBearerAre401() {
        given().header("Authorization", "Basic dGVzdC1hZG1pbi1rZXk6").get("/domains").then().spec(problem(401));
        given().header("Authorization", "test-admin-key").get("/domains").then().spec(problem(401));
        given().header("Authorization", "Bearer ").get("/domains").then().spec(problem(401));
    }

    @Test
    void theSchemeNameIsCaseInsensitive() {
        given().header("Authorization", "bearer test-admin-key").get("/domains").then().statusCode(200);
    }

    @Test
    void theReaderMayRead() {
        String jobId = createJob();
        String runId = queueRun(jobId);

        reader().get("/domains").then().statusCode(200);
        reader().get("/jobs").then().statusCode(200);
        reader().get("/jobs/{id}", jobId).then().statusCode(200);
        reader().get("/jobs/{id}/runs", jobId).then().statusCode(200);
        reader().get("/runs/{id}", runId).then().statusCode(200);
        reader().get("/job-servers").then().statusCode(200);
        reader().get("/accounts").then().statusCode(200);
        reader().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void theReaderMayNotWrite() {
        String domainId = createDomain();
        Body jobBody = job(domainId);
        String jobId = createJob(jobBody);
        String runId = queueRun(jobId);
        String serverId = admin().body(new Body().with("name", unique("w"))).post("/job-servers").then().statusCode(201).extract().path("id");
        long domains = db.count("ad_domain");
        long jobs = db.count("sync_job");
        long runs = db.count("job_run");
        long servers = db.count("job_server");

        forbidden(reader().body(domain()).post("/domains").then());
        forbidden(reader().body(domain()).put("/domains/{id}", domainId).then());
        forbidden(reader().delete("/domains/{id}", domainId).then());
        forbidden(reader().body(job(domainId)).post("/jobs").then());
        forbidden(reader().body(jobBody.copy().with("description", "changed")).put("/jobs/{id}", jobId).then());
        forbidden(reader().delete("/jobs/{id}", jobId).then());
        forbidden(reader().post("/jobs/{id}/runs", jobId).then());
        forbidden(reader().post("/runs/{id}/cancel", runId).then());
        forbidden(reader().body(new Body().with("name", unique("w"))).post("/job-servers").then());
        forbidden(reader().body("{\"canBeJobServer\":false}").patch("/job-servers/{id}", serverId).then());
        forbidden(reader().delete("/job-servers/{id}", serverId).then());

        assertThat(db.count("ad_domain")).isEqualTo(domains);
        assertThat(db.count("sync_job")).isEqualTo(jobs);
        assertThat(db.count("job_run")).isEqualTo(runs);
        assertThat(db.count("job_server")).isEqualTo(servers);
        admin().get("/jobs/{id}", jobId).then().body("description", equalTo(null)).body("version", equalTo(0));
        admin().get("/runs/{id}", runId).then().body("state", equalTo("QUEUED"));
        admin().get("/job-servers/{id}", serverId).then().body("canBeJobServer", equalTo(true));
    }

    @Test
    void healthAndOpenApiNeedNoKey() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).body("info.title", equalTo("adsync API"));
    }

    @Test
    void metricsNeedAKey() {
        given().get("/q/metrics").then().spec(problem(401)).header("WWW-Authenticate", startsWith("Bearer"));
        withKey("wrong").get("/q/metrics").then().spec(problem(401));
        admin().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void theAdminMayDoEverything() {
        String id = createDomain();
        admin().delete("/domains/{id}", id).then().statusCode(204);
        admin().get("/domains/{id}", UUID.fromString(id)).then().statusCode(404);
    }

    private static void forbidden(io.restassured.response.ValidatableResponse response) {
        response.spec(problem(403)).body("title", equalTo("Forbidden")).body("detail", containsString("reader"));
    }
}
