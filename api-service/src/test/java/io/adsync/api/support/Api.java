package io.adsync.api.support;

import io.restassured.RestAssured;
import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.parsing.Parser;
import io.restassured.specification.RequestSpecification;
import io.restassured.specification.ResponseSpecification;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The API as a client sees it: requests with an API key, the bodies of valid resources, and the shape every
 * error must have. Tests share one database, so every name made here is unique.
 */
public final class Api {

    public static final String ADMIN_KEY = "test-admin-key";
    public static final String READER_KEY = "test-reader-key";
    public static final String PROBLEM_JSON = "application/problem+json";

    static {
        RestAssured.registerParser(PROBLEM_JSON, Parser.JSON);
    }

    private Api() {
    }

    /** A JSON request with the admin key. */
    public static RequestSpecification admin() {
        return withKey(ADMIN_KEY);
    }

    /** A JSON request with the read-only key. */
    public static RequestSpecification reader() {
        return withKey(READER_KEY);
    }

    /** A JSON request without any key. */
    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    public static RequestSpecification withKey(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** {@code prefix-<8 random hex>}: a name no other test uses. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- valid bodies -------------------------------------------------------------------------------------

    /** A valid LDAPS domain with a unique name. */
    public static Body domain() {
        return new Body()
                .with("name", unique("corp") + ".example.com")
                .with("hosts", List.of("dc1.corp.example.com", "dc2.corp.example.com"))
                .with("security", "LDAPS")
                .with("bindDn", "svc-adsync@corp.example.com")
                .with("bindPassword", "s3cret!-" + UUID.randomUUID())
                .with("baseDn", "OU=Staff,DC=corp,DC=example,DC=com");
    }

    /** A valid job for one domain, due at once and then every 18h 35m 1s. */
    public static Body job(String domainId) {
        return new Body()
                .with("name", unique("job"))
                .with("domainId", domainId)
                .with("schedule", timeSpan("IMMEDIATELY", "PT18H35M1S"));
    }

    public static Body timeSpan(String runWhen, String interval) {
        return new Body().with("type", "TIME_SPAN").with("runWhen", runWhen).with("interval", interval);
    }

    public static Body cron(String expression) {
        return new Body().with("type", "CRON").with("expression", expression);
    }

    public static Body manual() {
        return new Body().with("type", "MANUAL");
    }

    // ---- creating things ----------------------------------------------------------------------------------

    public static String createDomain() {
        return createDomain(domain());
    }

    public static String createDomain(Body body) {
        return admin().body(body).post("/domains").then().statusCode(201).extract().path("id");
    }

    public static String createJob(Body body) {
        return admin().body(body).post("/jobs").then().statusCode(201).extract().path("id");
    }

    /** A new domain and a job on it; returns the job id. */
    public static String createJob() {
        return createJob(job(createDomain()));
    }

    public static String queueRun(String jobId) {
        return admin().post("/jobs/{id}/runs", jobId).then().statusCode(202).extract().path("id");
    }

    // ---- what errors look like ----------------------------------------------------------------------------

    /** An RFC 9457 problem: the status, application/problem+json, and type, title, status and detail in the body. */
    public static ResponseSpecification problem(int status) {
        return new ResponseSpecBuilder()
                .expectStatusCode(status)
                .expectHeader("Content-Type", startsWith(PROBLEM_JSON))
                .expectBody("type", not(emptyOrNullString()))
                .expectBody("title", not(emptyOrNullString()))
                .expectBody("status", equalTo(status))
                .expectBody("detail", not(emptyOrNullString()))
                .build();
    }

    /** A problem whose {@code violations} name {@code field}. */
    public static ResponseSpecification violation(int status, String field) {
        return new ResponseSpecBuilder()
                .addResponseSpecification(problem(status))
                .expectBody("violations.field", hasItem(field))
                .build();
    }
}
