package io.adsync.worker.health;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** The worker serves health for its orchestrator: the database and its registration for readiness, the claim loop for liveness. */
@QuarkusTest
class WorkerHealthTest {

    @Test
    void readinessChecksTheDatabaseAndTheRegistration() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("job-server-registration", "Database connections health check"));
    }

    @Test
    void livenessChecksTheClaimLoop() {
        given().get("/q/health/live").then().statusCode(200).body("checks.name", hasItems("claim-loop"));
    }

    @Test
    void metricsArePrometheusText() {
        given().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
