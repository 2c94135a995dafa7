package io.adsync.worker.health;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The worker serves health for its orchestrator, on the management port: the database and its registration for
 * readiness, the claim loop for liveness.
 */
@QuarkusTest
class WorkerHealthTest {

    @Test
    void readinessChecksTheDatabaseAndTheRegistration() {
        management().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("job-server-registration", "Database connections health check"));
    }

    @Test
    void livenessChecksTheClaimLoop() {
        management().get("/q/health/live").then().statusCode(200).body("checks.name", hasItems("claim-loop"));
    }

    @Test
    void metricsArePrometheusText() {
        management().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }

    private static RequestSpecification management() {
        return given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class));
    }
}
