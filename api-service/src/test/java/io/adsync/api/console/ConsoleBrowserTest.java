package io.adsync.api.console;

import io.adsync.api.support.Api;
import io.adsync.api.support.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.adsync.api.support.Api.ADMIN_KEY;
import static io.adsync.api.support.Api.READER_KEY;
import static io.adsync.api.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console in a real browser (Debian's headless chromium through Selenium), against the test app and its
 * PostgreSQL. There is no worker in this JVM: a run's progress and end are written with SQL, as a worker would.
 * Every page visited is saved as a screenshot (see Browser.SHOTS).
 */
@QuarkusTest
class ConsoleBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    TestDb db;

    static Browser browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private void open(String path) {
        browser.driver.get(url(path));
    }

    private void signIn(String key) {
        browser.driver.manage().deleteAllCookies();
        open("/console/sign-in");
        browser.find("#j_password").sendKeys(key);
        browser.find("#sign-in").click();
        browser.wait.until(ExpectedConditions.urlContains("/console/jobs"));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser.driver).executeScript(script, args);
    }

    /** A POST from the page itself (same origin, the session cookie goes along), with or without the token. */
    private long postFromPage(String path, boolean withToken) {
        Object status = ((JavascriptExecutor) browser.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const headers = {'Content-Type': 'application/x-www-form-urlencoded'};
                if (arguments[1]) { headers['X-CSRF-Token'] = document.querySelector('meta[name="csrf-token"]').content; }
                fetch(arguments[0], {method: 'POST', headers: headers, body: 'enabled=false', redirect: 'manual'})
                  .then(r => done(r.status)).catch(e => done(-1));""", path, withToken);
        return ((Number) status).longValue();
    }

    @Test
    void theProductFlowEndToEnd() {
        // sign in (the sign-in page first, for the README)
        browser.driver.manage().deleteAllCookies();
        open("/console/sign-in");
        browser.shot("sign-in");
        signIn(ADMIN_KEY);

        // create a domain
        open("/console/domains/new");
        String domainName = unique("corp") + ".example.com";
        browser.find("#d-name").sendKeys(domainName);
        browser.find("#d-hosts").sendKeys("dc1.corp.example.com\ndc2.corp.example.com");
        browser.find("#d-bindDn").sendKeys("svc-adsync@corp.example.com");
        browser.find("#d-bindPassword").sendKeys("s3cret!");
        browser.find("#d-baseDn").sendKeys("OU=Staff,DC=corp,DC=example,DC=com");
        browser.shot("domain-form");
        browser.find("#save-domain").click();
        browser.waitText("#password-state", "set");
        open("/console/domains");
        browser.waitText("#domains", domainName);
        browser.shot("domains");

        // New AD Sync Job: Sync All Domains, Requeue if Job Fails, Time Span Schedule, Immediately, 18 h 35 min 1 s
        open("/console/jobs");
        browser.find("#new-job").click();
        browser.find("#job-form");
        String jobName = unique("Staff sync");
        browser.find("#name").sendKeys(jobName);
        browser.find("#description").sendKeys("All domains every 18h 35m 1s");
        label("Sync All Domains").click();
        assertThat(browser.find("#syncAllDomains").isSelected()).isTrue();
        assertThat(browser.find("#domainId").isEnabled()).as("Domain is disabled when Sync All Domains is checked").isFalse();
        label("Requeue if Job Fails").click();
        new Select(browser.find("#calendar")).selectByVisibleText("Time Span Schedule");
        new Select(browser.find("#runWhen")).selectByVisibleText("Immediately");
        type("#days", "0");
        type("#hours", "18");
        type("#minutes", "35");
        type("#seconds", "1");
        browser.waitText("#schedule-preview", "every 18 h 35 min 1 s, first run immediately");
        assertThat(browser.driver.findElements(By.cssSelector("#schedule-preview .next-runs li"))).hasSize(3);
        browser.shot("job-dialog");
        browser.find("#save").click();

        // the job in Scheduled Jobs, with its next run
        browser.wait.until(ExpectedConditions.urlContains("/console/jobs?saved="));
        WebElement row = browser.find("tr[data-name='" + jobName + "']");
        assertThat(row.findElement(By.cssSelector("td:nth-child(2)")).getText()).isEqualTo("All domains");
        assertThat(row.findElement(By.cssSelector(".schedule")).getText()).isEqualTo("every 18 h 35 min 1 s, first run immediately");
        assertThat(row.findElement(By.cssSelector(".next-run time")).getText()).isNotBlank();
        UUID jobId = UUID.fromString(row.getAttribute("data-job"));
        assertThat(db.value("SELECT requeue_on_failure AND sync_all_domains FROM sync_job WHERE id = ?", jobId)).isEqualTo(true);
        assertThat(db.value("SELECT schedule->>'interval' FROM sync_job WHERE id = ?", jobId)).isEqualTo("PT18H35M1S");
        browser.shot("scheduled-jobs");

        // Run now: queued -> running -> succeeded, live
        row.findElement(By.cssSelector(".run-now")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/runs/"));
        UUID runId = UUID.fromString(browser.driver.getCurrentUrl().replaceAll(".*/console/runs/", "").replaceAll("[?#].*", ""));
        browser.waitText("#run-state", "QUEUED");
        js("window.__sameDocument = true;");
        db.update("UPDATE job_run SET state = 'RUNNING', started_at = now(), lease_until = now() + interval '1 minute', "
                + "progress = '{\"entriesRead\":1500,\"pages\":2,\"domain\":\"" + domainName + "\"}'::jsonb WHERE id = ?", runId);
        browser.waitText("#run-state", "RUNNING");
        browser.waitText("#run-progress", "1500");
        browser.waitText("#run-progress", domainName);
        browser.shot("run-running");
        db.update("UPDATE job_run SET state = 'SUCCEEDED', finished_at = now(), mode = 'FULL', mode_reason = 'no watermark yet', "
                + "stats = '{\"created\":42,\"updated\":3,\"deactivated\":1,\"reactivated\":0,\"unchanged\":1454,\"errors\":0}'::jsonb, "
                + "details = '{\"domains\":[{\"name\":\"" + domainName + "\",\"state\":\"SUCCEEDED\",\"mode\":\"FULL\",\"modeReason\":\"no watermark yet\","
                + "\"stats\":{\"created\":42,\"updated\":3,\"deactivated\":1},\"entriesRead\":1500,\"pages\":2,\"server\":\"ldaps://dc1.corp.example.com:636\"}]}'::jsonb "
                + "WHERE id = ?", runId);
        db.update("UPDATE sync_job SET current_run_id = NULL, last_run_id = ?, last_run_state = 'SUCCEEDED', last_run_finished_at = now() WHERE id = ?",
                runId, jobId);
        browser.waitText("#run-state", "SUCCEEDED");
        assertThat(js("return window.__sameDocument === true;")).as("the page updated without a reload").isEqualTo(true);

        // the run's detail, with its stats
        open("/console/runs/" + runId);
        assertThat(browser.find("[data-stat='created']").getText()).isEqualTo("42");
        assertThat(browser.find("[data-stat='unchanged']").getText()).isEqualTo("1454");
        assertThat(browser.find("#run-domains").getText()).contains(domainName, "FULL");
        assertThat(browser.find("#run-trigger").getText()).isEqualTo("MANUAL");
        browser.shot("run-detail");

        open("/console/jobs/" + jobId);
        browser.find("#runs");
        browser.shot("job-detail");
    }

    @Test
    void validationErrorsAppearBesideTheirFieldsAndTheInputIsKept() {
        signIn(ADMIN_KEY);
        open("/console/jobs/new");
        browser.find("#description").sendKeys("kept as typed");
        new Select(browser.find("#calendar")).selectByVisibleText("Time Span Schedule");
        type("#hours", "0");
        type("#minutes", "0");
        type("#seconds", "0");
        browser.find("#save").click();
        browser.find("#job-form");
        assertThat(browser.find("[data-field='name']").getText()).isNotBlank();
        assertThat(browser.find("[data-field='domainId']").getText()).contains("domainId");
        assertThat(browser.find("[data-field='schedule.interval']").getText()).contains("between");
        assertThat(browser.find("#description").getAttribute("value")).isEqualTo("kept as typed");
        assertThat(new Select(browser.find("#calendar")).getFirstSelectedOption().getText()).isEqualTo("Time Span Schedule");
        browser.shot("job-dialog-errors");
    }

    @Test
    void aReaderSeesNoWriteControlsAndIsRefusedIfItPostsAnyway() {
        String jobId = Api.createJob();
        signIn(READER_KEY);
        assertThat(browser.find("#signed-in-role").getText()).isEqualToIgnoringCase("reader");
        assertThat(browser.driver.findElements(By.cssSelector("#new-job, .run-now, .toggle-enabled, .delete"))).isEmpty();
        open("/console/jobs/" + jobId);
        browser.find("#job-name");
        assertThat(browser.driver.findElements(By.cssSelector(".run-now, a[href$='/edit']"))).isEmpty();
        open("/console/domains");
        assertThat(browser.driver.findElements(By.cssSelector("#new-domain"))).isEmpty();
        browser.shot("reader-view");
        // with a valid CSRF token, so that only the role refuses it
        assertThat(postFromPage("/console/jobs/" + jobId + "/enabled", true)).isEqualTo(403);
        assertThat(db.value("SELECT enabled FROM sync_job WHERE id = ?", UUID.fromString(jobId))).isEqualTo(true);
    }

    @Test
    void aStateChangingRequestWithoutTheCsrfTokenIsRefused() {
        String jobId = Api.createJob();
        signIn(ADMIN_KEY);
        open("/console/jobs/" + jobId);
        browser.find("#job-name");
        assertThat(postFromPage("/console/jobs/" + jobId + "/enabled", false)).isEqualTo(403);
        assertThat(db.value("SELECT enabled FROM sync_job WHERE id = ?", UUID.fromString(jobId))).isEqualTo(true);
        // the same request with the token goes through (303 to the list)
        long withToken = postFromPage("/console/jobs/" + jobId + "/enabled", true);
        assertThat(withToken).isIn(0L, 303L); // an opaque redirect reports 0
        assertThat(db.value("SELECT enabled FROM sync_job WHERE id = ?", UUID.fromString(jobId))).isEqualTo(false);
    }

    @Test
    void theCanBeJobServerToggleTakesEffectLive() {
        String name = unique("sync-worker");
        String id = Api.admin().body(Map.of("name", name)).post("/job-servers").then().statusCode(201).extract().path("id");
        db.update("UPDATE job_server SET last_heartbeat_at = now(), software_version = '0.1.0' WHERE id = ?", UUID.fromString(id));
        signIn(ADMIN_KEY);
        open("/console/servers");
        WebElement toggle = browser.find("tr[data-server='" + name + "'] .can-be-job-server");
        assertThat(toggle.isSelected()).isTrue();
        assertThat(browser.find("tr[data-server='" + name + "']").getText()).contains("ONLINE", "0.1.0");
        js("window.__sameDocument = true;");
        toggle.click();
        browser.wait.until(d -> Boolean.FALSE.equals(db.value("SELECT can_be_job_server FROM job_server WHERE id = ?", UUID.fromString(id))));
        browser.wait.until(d -> !d.findElement(By.cssSelector("tr[data-server='" + name + "'] .can-be-job-server")).isSelected());
        assertThat(js("return window.__sameDocument === true;")).isEqualTo(true);
        browser.shot("servers");
        browser.find("tr[data-server='" + name + "'] .can-be-job-server").click();
        browser.wait.until(d -> Boolean.TRUE.equals(db.value("SELECT can_be_job_server FROM job_server WHERE id = ?", UUID.fromString(id))));
    }

    @Test
    void aTrippedDeletionGuardIsOverriddenFromTheRunPage() {
        String jobId = Api.createJob();
        UUID job = UUID.fromString(jobId);
        String runId = Api.queueRun(jobId);
        UUID run = UUID.fromString(runId);
        db.update("UPDATE job_run SET state = 'FAILED', started_at = now() - interval '5 seconds', finished_at = now(), "
                + "error_category = 'DELETION_THRESHOLD', error_message = '700 active accounts were not found in the directory and would be deactivated, more than this job allows (500)', "
                + "stats = '{\"created\":0,\"updated\":12,\"deactivated\":0,\"reactivated\":0,\"unchanged\":1288,\"errors\":0}'::jsonb, "
                + "details = '{\"domains\":[{\"name\":\"corp.example.com\",\"state\":\"FAILED\",\"category\":\"DELETION_THRESHOLD\","
                + "\"message\":\"700 active accounts were not found\",\"activeBefore\":2000,\"notFound\":700,\"deactivationThreshold\":400,"
                + "\"stats\":{\"created\":0,\"updated\":12,\"deactivated\":0}}]}'::jsonb WHERE id = ?", run);
        db.update("UPDATE sync_job SET current_run_id = NULL, last_run_id = ?, last_run_state = 'FAILED', last_run_finished_at = now() WHERE id = ?", run, job);
        signIn(ADMIN_KEY);
        open("/console/runs/" + runId);
        assertThat(browser.find("#deletion-guard").getText()).contains("700", "Nothing was deactivated");
        assertThat(browser.find("#run-error").getText()).contains("DELETION_THRESHOLD");
        browser.shot("run-deletion-guard");
        browser.find("#allow-mass-deactivation").click();
        var alert = browser.wait.until(ExpectedConditions.alertIsPresent());
        assertThat(alert.getText()).contains("700");
        alert.accept();
        browser.wait.until(d -> !d.getCurrentUrl().endsWith(runId));
        String newRun = browser.driver.getCurrentUrl().replaceAll(".*/console/runs/", "");
        assertThat(db.value("SELECT options->>'allowMassDeactivation' FROM job_run WHERE id = ?", UUID.fromString(newRun))).isEqualTo("true");
        browser.waitText("#run-state", "QUEUED");
    }

    @Test
    void directoryValuesAreShownAsTextAndNoScriptRuns() {
        String domainId = Api.createDomain();
        String evil = "<img src=x onerror=alert(1)>";
        UUID account = UUID.randomUUID();
        db.update("INSERT INTO account (id, domain_id, object_guid, username, display_name, email, distinguished_name, active, last_synced_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, true, now(), now(), now())", account, UUID.fromString(domainId), UUID.randomUUID(),
                unique("evil"), evil, "x@corp.example.com", "CN=" + evil + ",OU=Staff,DC=corp,DC=example,DC=com");
        signIn(ADMIN_KEY);
        open("/console/accounts?q=" + "evil");
        browser.find("#accounts");
        browser.shot("accounts");
        open("/console/accounts/" + account);
        assertThat(browser.find("#account-display-name").getText()).isEqualTo(evil);
        assertThat(browser.driver.findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(js("return document.querySelectorAll('img').length")).isEqualTo(0L);
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(org.openqa.selenium.NoAlertPresentException.class);
        browser.shot("account-detail");
    }

    private WebElement label(String text) {
        List<WebElement> labels = browser.driver.findElements(By.xpath("//label[normalize-space(.)='" + text + "']"));
        assertThat(labels).as("a label reading exactly '" + text + "'").hasSize(1);
        return labels.getFirst();
    }

    private void type(String css, String value) {
        WebElement e = browser.find(css);
        e.clear();
        e.sendKeys(value);
    }
}
