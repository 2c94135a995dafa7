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

    @Test
    void theCsrfRefusalIsProblemJson() {
        String jobId = Api.createJob();
        String session = signIn(Api.ADMIN_KEY);
        given().redirects().follow(false).cookie("adsync-console", session).contentType(ContentType.URLENC)
                .formParam("enabled", "false").post("/console/jobs/{id}/enabled", jobId).then().statusCode(403)
                .contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.equalTo(403))
                .body("title", org.hamcrest.Matchers.equalTo("Forbidden"))
                .body("detail", containsString("CSRF"))
                .body("instance", org.hamcrest.Matchers.equalTo("/console/jobs/" + jobId + "/enabled"));
    }

    /** Login CSRF: the sign-in POST has no token (no session yet), so one posted from another site is refused. */
    @Test
    void aSignInPostedFromAnotherSiteIsRefused() {
        for (String[] header : new String[][]{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"},
                {"Origin", "https://evil.example.com"}, {"Origin", "null"}}) {
            Response r = given().redirects().follow(false).contentType(ContentType.URLENC).header(header[0], header[1])
                    .formParam("j_username", "api-key").formParam("j_password", Api.ADMIN_KEY)
                    .post("/console/j_security_check");
            assertThat(r.statusCode()).as(header[0] + ": " + header[1]).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.cookie("adsync-console")).isNull();
            assertThat(r.jsonPath().getString("detail")).contains("sign-in");
        }
        // the console's own sign-in page: same origin
        Response ok = given().redirects().follow(false).contentType(ContentType.URLENC).header("Sec-Fetch-Site", "same-origin")
                .formParam("j_username", "api-key").formParam("j_password", Api.ADMIN_KEY)
                .post("/console/j_security_check");
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.cookie("adsync-console")).isNotBlank();
    }

    @Test
    void signOutEndsTheSessionForEveryCopyOfItsCookie() {
        String session = signIn(Api.ADMIN_KEY);
        Response page = given().cookie("adsync-console", session).get("/console/jobs");
        assertThat(page.statusCode()).isEqualTo(200);
        String csrfCookie = page.cookie("adsync-csrf");
        String token = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@content");
        Response out = given().redirects().follow(false).cookie("adsync-console", session).cookie("adsync-csrf", csrfCookie)
                .contentType(ContentType.URLENC).formParam("csrf", token).post("/console/session/sign-out");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).contains("/console/sign-in?signed-out");
        Response after = given().redirects().follow(false).cookie("adsync-console", session).get("/console/jobs");
        assertThat(after.statusCode()).isEqualTo(302);
        assertThat(after.header("Location")).contains("/console/sign-in");
        // another session of the same key is not affected
        given().redirects().follow(false).cookie("adsync-console", signIn(Api.ADMIN_KEY)).get("/console/jobs").then().statusCode(200);
    }
}
