package io.adsync.worker.health;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The worker serves health for its orchestrator, on the management port: the database and its registration for
 * readiness, the claim loop for liveness. This app runs its own worker (registered, but never claiming: it is not
 * a job server), so readiness reports a real registration that can be lost and won back.
 */
@QuarkusTest
@TestProfile(WorkerHealthTest.RunningWorker.class)
class WorkerHealthTest {

    static final String NAME = "health-probe";

    /** The app's own worker, enabled, quick to notice a lost registration; it never claims a run. */
    public static class RunningWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("adsync.worker.enabled", "true", "adsync.worker.server-name", NAME,
                    "adsync.worker.can-be-job-server", "false", "adsync.worker.server-heartbeat", "200ms",
                    "adsync.worker.poll-min", "50ms", "adsync.worker.poll-max", "300ms");
        }
    }

    @Inject
    AgroalDataSource ds;

    @Test
    void readinessIsDownWhileTheWorkerIsNotRegisteredAndUpOnceItIsAgain() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> ready().statusCode() == 200);
        ready().then().body("status", equalTo("UP"))
                .body("checks.name", hasItems("job-server-registration", "Database connections health check"))
                .body("checks.find { it.name == 'job-server-registration' }.data.jobServer", equalTo(NAME));

        // The job server's row is deleted (through the API, say) and, for a while, cannot be written again.
        sql("ALTER TABLE job_server ADD CONSTRAINT health_probe_blocked CHECK (name <> '" + NAME + "') NOT VALID");
        try {
            sql("DELETE FROM job_server WHERE name = '" + NAME + "'");
            await().atMost(Duration.ofSeconds(5)).until(() -> ready().statusCode() == 503);
            Response down = ready();
            assertThat(down.<String>path("status")).isEqualTo("DOWN");
            assertThat(down.<String>path("checks.find { it.name == 'job-server-registration' }.status")).isEqualTo("DOWN");
            assertThat(down.<String>path("checks.find { it.name == 'Database connections health check' }.status")).isEqualTo("UP");
        } finally {
            sql("ALTER TABLE job_server DROP CONSTRAINT IF EXISTS health_probe_blocked");
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> ready().statusCode() == 200);
        ready().then().body("status", equalTo("UP"));
    }

    @Test
    void livenessChecksTheClaimLoop() {
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("claim-loop"))
                .body("checks.find { it.name == 'claim-loop' }.data.lastLoopSecondsAgo", org.hamcrest.Matchers.lessThan(5));
    }

    @Test
    void metricsArePrometheusText() {
        management().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"))
                .body(org.hamcrest.Matchers.containsString("adsync_claim_failures_total"));
    }

    private Response ready() {
        return management().get("/q/health/ready");
    }

    private void sql(String statement) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static RequestSpecification management() {
        return given().port(ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class));
    }
}
