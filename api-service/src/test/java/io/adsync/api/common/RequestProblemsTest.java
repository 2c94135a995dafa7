package io.adsync.api.common;

import io.adsync.api.support.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;

import static io.adsync.api.support.Api.admin;
import static io.adsync.api.support.Api.createDomain;
import static io.adsync.api.support.Api.createJob;
import static io.adsync.api.support.Api.domain;
import static io.adsync.api.support.Api.job;
import static io.adsync.api.support.Api.problem;
import static io.adsync.api.support.Api.violation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Errors that any endpoint can produce: oversized bodies, bad paging, wrong media types. */
@QuarkusTest
class RequestProblemsTest {

    private static final int OVER_ONE_MIB = 1024 * 1024 + 1;

    @Inject
    TestDb db;

    @Test
    void aBodyOverOneMibIs413AndCreatesNothing() {
        long domains = db.count("ad_domain");

        admin().body(domain().with("caCertificatePem", "A".repeat(OVER_ONE_MIB))).post("/domains")
                .then().spec(problem(413)).body("title", equalTo("Content Too Large"));

        assertThat(db.count("ad_domain")).isEqualTo(domains);
    }

    @Test
    void aJobBodyOverOneMibIs413AndCreatesNothing() {
        String domainId = createDomain();
        long jobs = db.count("sync_job");

        admin().body(job(domainId).with("description", "d".repeat(OVER_ONE_MIB))).post("/jobs").then().spec(problem(413));

        assertThat(db.count("sync_job")).isEqualTo(jobs);
    }

    @Test
    void aBodyOverOneMibOnPutIs413AndChangesNothing() {
        var body = job(createDomain());
        String id = createJob(body);

        admin().body(body.copy().with("description", "d".repeat(OVER_ONE_MIB))).put("/jobs/{id}", id).then().spec(problem(413));

        admin().get("/jobs/{id}", id).then().body("description", equalTo(null)).body("version", equalTo(0));
    }

    @Test
    void aBodyJustUnderTheLimitIsNotRefusedForItsSize() {
        // passes the size gate and reaches validation (description is limited to 2000 characters)
        admin().body(job(createDomain()).with("description", "d".repeat(1000 * 1000))).post("/jobs")
                .then().spec(violation(400, "description"));
    }

    @ParameterizedTest(name = "{0}?{1}={2}")
    @CsvSource({
            "/domains, size, 0", "/domains, size, 501", "/domains, page, -1",
            "/jobs, size, 0", "/jobs, page, -1",
            "/job-servers, size, 0", "/job-servers, page, -1",
            "/accounts, size, 0", "/accounts, page, -1", "/accounts, size, 501",
            "/domains, size, abc", "/jobs, page, 1.5",
            "/jobs, enabled, maybe", "/jobs, domainId, not-a-uuid",
            "/accounts, active, yes-please", "/accounts, domainId, 42"})
    void badQueryParametersAre400NamingTheParameter(String path, String param, String value) {
        admin().queryParam(param, value).get(path).then().spec(violation(400, param))
                .body("detail", containsString(param));
    }

    @ParameterizedTest(name = "runs?{0}={1}")
    @CsvSource({"size, 0", "page, -1", "size, 501"})
    void badPagingOfRunHistoryIs400(String param, String value) {
        admin().queryParam(param, value).get("/jobs/{id}/runs", createJob()).then().spec(violation(400, param));
    }

    @Test
    void aNonJsonContentTypeIs415AndCreatesNothing() {
        long domains = db.count("ad_domain");
        admin().contentType("text/plain").body("name=corp.example.com").post("/domains").then().spec(problem(415));
        assertThat(db.count("ad_domain")).isEqualTo(domains);
    }

    @Test
    void anIdThatIsNotAUuidIs404() {
        admin().get("/domains/{id}", "not-a-uuid").then().spec(problem(404));
        admin().get("/jobs/{id}", "42").then().spec(problem(404));
    }

    @Test
    void anUnknownPathIs404() {
        admin().get("/no-such-thing/{id}", UUID.randomUUID()).then().statusCode(404);
    }
}
