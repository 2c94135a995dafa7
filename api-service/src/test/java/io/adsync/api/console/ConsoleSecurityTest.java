package io.adsync.api.console;

import io.adsync.api.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** The console's sign-in, session cookie, CSRF protection and headers, over HTTP (the browser tests do the rest). */
@QuarkusTest
class ConsoleSecurityTest {

    /** Signs in with a key; returns the session cookie's value. */
    static String signIn(String key) {
        Response r = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", "api-key").formParam("j_password", key)
                .post("/console/j_security_check");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(302);
        assertThat(r.header("Location")).endsWith("/console/jobs");
        return r.cookie("adsync-console");
    }

    @Test
    void signingInWithAKeySetsAnHttpOnlySameSiteStrictSessionCookie() {
        Response r = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", "api-key").formParam("j_password", Api.ADMIN_KEY)
                .post("/console/j_security_check");
        assertThat(r.statusCode()).isEqualTo(302);
        String setCookie = String.join("\n", r.headers().getValues("Set-Cookie"));
        assertThat(setCookie).contains("adsync-console=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/console").doesNotContain(Api.ADMIN_KEY);
        assertThat(r.header("Location")).doesNotContain(Api.ADMIN_KEY);
    }

    @Test
    void aWrongKeyIsRefusedAndAPageWithoutASessionGoesToSignIn() {
        Response r = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", "api-key").formParam("j_password", "wrong-key")
                .post("/console/j_security_check");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).contains("/console/sign-in?error");
        Response page = given().redirects().follow(false).get("/console/jobs");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.header("Location")).contains("/console/sign-in");
    }

    @Test
    void theApiIgnoresTheConsoleSessionCookie() {
        String session = signIn(Api.ADMIN_KEY);
        given().cookie("adsync-console", session).get("/jobs").then().statusCode(401);
        given().cookie("adsync-console", session).contentType(ContentType.JSON).body(Api.domain()).post("/domains").then().statusCode(401);
        given().cookie("adsync-console", session).get("/console/jobs").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")));
    }

    @Test
    void aConsolePostWithoutItsCsrfTokenIsRefused() {
        String jobId = Api.createJob();
        String session = signIn(Api.ADMIN_KEY);
        given().redirects().follow(false).cookie("adsync-console", session).contentType(ContentType.URLENC)
                .formParam("enabled", "false").post("/console/jobs/{id}/enabled", jobId).then().statusCode(403);
        given().redirects().follow(false).cookie("adsync-console", session).cookie("adsync-csrf", "0".repeat(64))
                .contentType(ContentType.URLENC).formParam("enabled", "false").formParam("csrf", "forged")
                .post("/console/jobs/{id}/enabled", jobId).then().statusCode(403);
        Api.admin().get("/jobs/{id}", jobId).then().body("enabled", org.hamcrest.Matchers.equalTo(true));
    }
}
