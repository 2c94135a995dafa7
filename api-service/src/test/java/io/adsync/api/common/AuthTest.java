package io.adsync.api.common;

import io.adsync.api.support.Body;
import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.ADMIN_KEY;
import static io.adsync.api.support.Api.READER_KEY;
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
    @ValueSource(strings = {"wrong-key", "TEST-ADMIN-KEY", "test-admin-key-2", "test-reader-ke", "test-admin-", "t"})
    void anUnknownKeyIs401(String key) {
        withKey(key).get("/domains").then().spec(problem(401))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("title", equalTo("Unauthorized"))
                .body("detail", containsString("Authorization: Bearer"))
                .body("instance", equalTo("/domains"));
    }

    @Test
    void aKeyThatIsAPrefixOfAValidKeyIs401() {
        // what a compare that stops at the shorter of the two (startsWith, regionMatches) would let through
        for (String key : List.of(ADMIN_KEY, READER_KEY)) {
            for (int length = 1; length < key.length(); length++) {
                withKey(key.substring(0, length)).get("/domains").then().statusCode(401);
            }
        }
        withKey(ADMIN_KEY + " ").get("/domains").then().statusCode(200); // a trailing blank is not part of the key
    }

    @Test
    void anUnknownKeyOnAWriteIs401AndChangesNothing() {
        long before = db.count("ad_domain");
        withKey("wrong-key").body(domain()).post("/domains").then().spec(problem(401)).header("WWW-Authenticate", startsWith("Bearer"));
        assertThat(db.count("ad_domain")).isEqualTo(before);
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
        reader().get("/groups").then().statusCode(200);
        reader().head("/domains").then().statusCode(200);
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
    void theReadersRefusalIsAProblemNamingThePath() {
        String domainId = createDomain();
        reader().delete("/domains/{id}", domainId).then().spec(problem(403))
                .body("type", equalTo("about:blank"))
                .body("detail", equalTo("the reader role may only read (GET); this needs an admin key"))
                .body("instance", equalTo("/domains/" + domainId));
        reader().post("/domains/{id}/test", domainId).then().spec(problem(403)); // a POST that changes nothing is still not a read
    }

    @Test
    void openApiNeedsNoKey() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).body("info.title", equalTo("adsync API"));
        // a key is not even looked at there: a wrong one does no harm
        withKey("wrong-key").queryParam("format", "json").get("/q/openapi").then().statusCode(200);
    }

    @Test
    void swaggerUiNeedsNoKey() {
        // a browser opening /q/swagger-ui is redirected to /q/swagger-ui/ (RestAssured follows it, as a browser would)
        given().redirects().follow(true).get("/q/swagger-ui").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("swagger"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        withKey("wrong-key").get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void healthAndMetricsAreOnTheManagementPortWithoutAKey() {
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        management().get("/q/health/live").then().statusCode(200);
        management().get("/q/health").then().statusCode(200);
        management().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        // a key there is not needed, and not refused either
        management().header("Authorization", "Bearer wrong-key").get("/q/metrics").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/ready", "/q/health/live", "/q/metrics"})
    void healthAndMetricsAreNotServedOnTheApiPort(String path) {
        given().get(path).then().spec(problem(404));
        admin().get(path).then().spec(problem(404));
    }

    @Test
    void theManagementPortServesNoApi() {
        management().header("Authorization", "Bearer " + ADMIN_KEY).get("/domains").then().statusCode(404);
        management().get("/q/openapi").then().statusCode(404);
    }

    @Test
    void theAdminMayDoEverything() {
        String id = createDomain();
        admin().delete("/domains/{id}", id).then().statusCode(204);
        admin().get("/domains/{id}", UUID.fromString(id)).then().statusCode(404);
    }

    private static RequestSpecification management() {
        return given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class));
    }

    private static void forbidden(io.restassured.response.ValidatableResponse response) {
        response.spec(problem(403)).body("title", equalTo("Forbidden")).body("detail", containsString("reader"));
    }
}
