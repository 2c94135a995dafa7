package io.adsync.api.console;

import io.adsync.api.support.Api;
import io.adsync.api.support.TestDb;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.net.ServerSocket;
import java.net.URL;
import java.util.List;
import java.util.UUID;

import static io.adsync.api.support.Api.ADMIN_KEY;
import static io.adsync.api.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's management actions in a real browser (Debian's headless chromium), against the test app and its
 * PostgreSQL: the Scheduled Jobs row actions, cancelling a run, sign-out, Test connection, groups, the jobs list's
 * filters and paging with 1,000 jobs, phone width and the keyboard. Screenshots go to Browser.SHOTS.
 */
@QuarkusTest
class ConsoleManageBrowserTest {

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

    @AfterEach
    void desktopSize() {
        browser.driver.manage().window().setSize(new Dimension(1280, 800));
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

    private WebElement row(String jobId) {
        return browser.find("tr[data-job='" + jobId + "']");
    }

    private String enabledCell(String jobId) {
        return row(jobId).findElement(By.cssSelector("td:nth-child(6)")).getText();
    }

    private Object enabledInDb(String jobId) {
        return db.value("SELECT enabled FROM sync_job WHERE id = ?", UUID.fromString(jobId));
    }

    @Test
    void editEnableDisableAndDeleteFromTheScheduledJobsRow() {
        String domainId = Api.createDomain();
        String jobId = Api.createJob(Api.job(domainId));
        signIn(ADMIN_KEY);
        // the domain filter keeps this test's job on the first page whatever else the database holds
        String list = "/console/jobs?domainId=" + domainId;
        open(list);

        // Edit: a new name and a new schedule, Save, and the change shows
        row(jobId).findElement(By.linkText("Edit")).click();
        browser.find("#job-form");
        assertThat(browser.find("#dialog-title").getText()).isEqualTo("Edit AD Sync Job");
        String newName = unique("Renamed job");
        WebElement name = browser.find("#name");
        name.clear();
        name.sendKeys(newName);
        new Select(browser.find("#calendar")).selectByVisibleText("Cron");
        browser.find("#expression").clear();
        browser.find("#expression").sendKeys("30 2 * * 1-5");
        browser.find("#cronTimeZone").clear();
        browser.find("#cronTimeZone").sendKeys("UTC");
        browser.waitText("#schedule-preview", "cron 30 2 * * 1-5 (UTC)");
        browser.shot("job-edit");
        browser.find("#save").click();
        browser.wait.until(ExpectedConditions.urlToBe(url("/console/jobs/" + jobId)));
        assertThat(browser.find("#job-name").getText()).isEqualTo(newName);
        assertThat(browser.find("dl.props").getText()).contains("cron 30 2 * * 1-5 (UTC)");
        assertThat(db.value("SELECT name FROM sync_job WHERE id = ?", UUID.fromString(jobId))).isEqualTo(newName);
        assertThat(db.value("SELECT schedule->>'expression' FROM sync_job WHERE id = ?", UUID.fromString(jobId))).isEqualTo("30 2 * * 1-5");
        open(list);
        assertThat(row(jobId).getAttribute("data-name")).isEqualTo(newName);
        assertThat(row(jobId).findElement(By.cssSelector(".schedule")).getText()).isEqualTo("cron 30 2 * * 1-5 (UTC)");

        // Disable, then Enable: the Enabled column and the database follow
        assertThat(enabledCell(jobId)).isEqualTo("Yes");
        row(jobId).findElement(By.cssSelector(".toggle-enabled")).click();
        browser.wait.until(d -> "No".equals(enabledCell(jobId)));
        assertThat(enabledInDb(jobId)).isEqualTo(false);
        assertThat(row(jobId).findElement(By.cssSelector(".toggle-enabled")).getText()).isEqualTo("Enable");
        browser.shot("scheduled-jobs-disabled");
        row(jobId).findElement(By.cssSelector(".toggle-enabled")).click();
        browser.wait.until(d -> "Yes".equals(enabledCell(jobId)));
        assertThat(enabledInDb(jobId)).isEqualTo(true);

        // Delete asks first: dismissing the confirmation deletes nothing, accepting it removes the row
        row(jobId).findElement(By.cssSelector(".delete")).click();
        var confirm = browser.wait.until(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("Delete the job " + newName);
        confirm.dismiss();
        assertThat(db.value("SELECT count(*) FROM sync_job WHERE id = ?", UUID.fromString(jobId))).isEqualTo(1L);
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-job='" + jobId + "']"))).hasSize(1);
        row(jobId).findElement(By.cssSelector(".delete")).click();
        browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
        browser.wait.until(d -> d.findElements(By.cssSelector("tr[data-job='" + jobId + "']")).isEmpty());
        assertThat(db.value("SELECT count(*) FROM sync_job WHERE id = ?", UUID.fromString(jobId))).isEqualTo(0L);
    }

    @Test
    void cancelFromTheJobPageMarksARunningRunAndCancelsAQueuedOne() {
        String jobId = Api.createJob();
        UUID job = UUID.fromString(jobId);
        UUID running = UUID.fromString(Api.queueRun(jobId));
        // as a worker would have claimed it
        db.update("UPDATE job_run SET state = 'RUNNING', started_at = now(), lease_until = now() + interval '5 minutes', "
                + "progress = '{\"entriesRead\":200,\"pages\":1,\"domain\":\"corp.example.com\"}'::jsonb WHERE id = ?", running);
        db.update("UPDATE sync_job SET current_run_id = ? WHERE id = ?", running, job);
        signIn(ADMIN_KEY);
        open("/console/jobs/" + jobId);
        WebElement cancel = browser.find("tr[data-run='" + running + "'] .cancel");
        browser.shot("job-detail-running");
        cancel.click();
        browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
        browser.wait.until(d -> Boolean.TRUE.equals(db.value("SELECT cancel_requested FROM job_run WHERE id = ?", running)));
        browser.waitText("tr[data-run='" + running + "']", "cancelling");
        assertThat(browser.driver.findElements(By.cssSelector("tr[data-run='" + running + "'] .cancel"))).isEmpty();

        // a queued run (the running one ended) is cancelled outright
        db.update("UPDATE job_run SET state = 'CANCELLED', finished_at = now() WHERE id = ?", running);
        db.update("UPDATE sync_job SET current_run_id = NULL WHERE id = ?", job);
        UUID queued = UUID.fromString(Api.queueRun(jobId));
        open("/console/jobs/" + jobId);
        browser.find("tr[data-run='" + queued + "'] .cancel").click();
        browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
        browser.wait.until(d -> "CANCELLED".equals(db.value("SELECT state FROM job_run WHERE id = ?", queued)));
        browser.waitText("tr[data-run='" + queued + "']", "CANCELLED");
    }

    @Test
    void signOutEndsTheSessionAndTheOldCookieNoLongerWorks() {
        signIn(ADMIN_KEY);
        Cookie session = browser.driver.manage().getCookieNamed("adsync-console");
        assertThat(session).isNotNull();
        given().redirects().follow(false).cookie("adsync-console", session.getValue()).get("/console/jobs").then().statusCode(200);

        browser.find("#sign-out").click();
        browser.wait.until(ExpectedConditions.urlContains("/console/sign-in"));
        browser.find("#signed-out");
        open("/console");
        browser.wait.until(ExpectedConditions.urlContains("/console/sign-in"));
        browser.find("#j_password");

        // a copy of the cookie taken before Sign out: refused as well, over HTTP and in the browser
        Response r = given().redirects().follow(false).cookie("adsync-console", session.getValue()).get("/console/jobs");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.header("Location")).contains("/console/sign-in");
        browser.driver.manage().addCookie(new Cookie("adsync-console", session.getValue(), "/console"));
        open("/console/jobs");
        browser.wait.until(ExpectedConditions.urlContains("/console/sign-in"));
    }

    @Test
    void testConnectionShowsTheClassifiedResult() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        String domainId = Api.createDomain(Api.domain().with("hosts", List.of("127.0.0.1")).with("port", unused));
        signIn(ADMIN_KEY);
        open("/console/domains/" + domainId);
        browser.find("#test-connection").click();
        WebElement result = browser.find("#connection-test #test-result");
        assertThat(result.getText()).contains("UNREACHABLE");
        assertThat(result.getAttribute("class")).contains("failed");
        browser.shot("domain-test-connection");
    }

    @Test
    void groupsListAndDetailWithDirectAndEffectiveMembers() {
        UUID domain = UUID.fromString(Api.createDomain());
        String tag = unique("grp").replaceAll("[^A-Za-z0-9]", "");
        UUID alice = account(domain, tag + "-alice", "Alice Smith");
        UUID bob = account(domain, tag + "-bob", "Bob Jones");
        UUID staff = group(domain, tag + " Staff", "Everyone on staff");
        UUID engineers = group(domain, tag + " Engineers", "The engineering team");
        db.update("INSERT INTO group_membership (group_id, account_id) VALUES (?, ?)", staff, alice);
        db.update("INSERT INTO group_membership (group_id, account_id) VALUES (?, ?)", engineers, bob);
        db.update("INSERT INTO group_nesting (group_id, member_group_id) VALUES (?, ?)", staff, engineers);

        signIn(ADMIN_KEY);
        open("/console/groups?q=" + tag);
        WebElement table = browser.find("#groups");
        assertThat(table.findElements(By.cssSelector("tbody tr"))).hasSize(2);
        assertThat(table.getText()).contains(tag + " Staff", "Everyone on staff", tag + " Engineers");
        browser.shot("groups");

        table.findElement(By.linkText(tag + " Staff")).click();
        browser.waitText("#group-name", tag + " Staff");
        String direct = browser.find("#direct-members").getText();
        assertThat(direct).contains(tag + "-alice", tag + " Engineers").doesNotContain(tag + "-bob");
        assertThat(browser.find("#effective-members").getText()).contains(tag + "-alice", tag + "-bob");
        browser.shot("group-detail");
        browser.find("#effective-members").findElement(By.linkText(tag + "-bob")).click();
        browser.wait.until(ExpectedConditions.urlContains("/console/accounts/" + bob));
    }

    private UUID account(UUID domain, String username, String displayName) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO account (id, domain_id, object_guid, username, display_name, email, distinguished_name, active, last_synced_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, true, now(), now(), now())", id, domain, UUID.randomUUID(), username, displayName,
                username + "@corp.example.com", "CN=" + displayName + ",OU=Staff,DC=corp,DC=example,DC=com");
        return id;
    }

    private UUID group(UUID domain, String name, String description) {
        UUID id = UUID.randomUUID();
        db.update("INSERT INTO ad_group (id, domain_id, object_guid, name, sam_account_name, distinguished_name, description, active, last_synced_at, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, true, now(), now(), now())", id, domain, UUID.randomUUID(), name, name.replace(' ', '_'),
                "CN=" + name + ",OU=Groups,DC=corp,DC=example,DC=com", description);
        return id;
    }

    @Test
    void theJobsListFiltersAndPagesThroughAThousandJobs() {
        String domainId = Api.createDomain();
        UUID domain = UUID.fromString(domainId);
        String tag = unique("bulk").replaceAll("[^A-Za-z0-9]", "");
        // 1,000 jobs on one domain, every other one disabled; no next run, so nothing would ever queue them
        db.update("INSERT INTO sync_job (id, type, name, description, domain_id, sync_all_domains, enabled, schedule, "
                + "max_deactivations, max_deactivation_percent, full_sync_interval, created_at, updated_at) "
                + "SELECT gen_random_uuid(), 'AD_SYNC', ? || '-' || lpad(i::text, 4, '0'), 'seeded', ?, false, i % 2 = 0, "
                + "'{\"type\":\"MANUAL\"}'::jsonb, 500, 20, interval '1 day', now(), now() FROM generate_series(1, 1000) AS i", tag, domain);
        try {
            signIn(ADMIN_KEY);
            open("/console/jobs?domainId=" + domainId);
            assertThat(browser.driver.findElements(By.cssSelector("#jobs tbody tr"))).hasSize(ConsoleJobs.PAGE_SIZE);
            assertThat(browser.find(".pager").getText()).contains("Page 1 of 40", "1000 in all");
            assertThat(browser.find("#jobs tbody tr:first-child").getAttribute("data-name")).isEqualTo(tag + "-0001");
            browser.shot("scheduled-jobs-paged");

            browser.find(".pager a[rel='next']").click();
            browser.waitText(".pager", "Page 2 of 40");
            assertThat(browser.driver.findElements(By.cssSelector("#jobs tbody tr"))).hasSize(ConsoleJobs.PAGE_SIZE);
            assertThat(browser.find("#jobs tbody tr:first-child").getAttribute("data-name")).isEqualTo(tag + "-0026");

            // the filters: the form keeps the domain and adds "Disabled"
            new Select(browser.find("#f-enabled")).selectByVisibleText("Disabled");
            browser.find(".filters button[type='submit']").click();
            browser.waitText(".pager", "500 in all");
            assertThat(new Select(browser.find("#f-domain")).getFirstSelectedOption().getAttribute("value")).isEqualTo(domainId);
            assertThat(browser.driver.findElements(By.cssSelector("#jobs tbody tr"))).hasSize(ConsoleJobs.PAGE_SIZE)
                    .allSatisfy(tr -> assertThat(tr.findElement(By.cssSelector("td:nth-child(6)")).getText()).isEqualTo("No"));
            assertThat(browser.find("#jobs tbody tr:first-child").getAttribute("data-name")).isEqualTo(tag + "-0001");
            browser.find(".pager a[rel='next']").click();
            browser.waitText(".pager", "Page 2 of 20");
            assertThat(browser.driver.getCurrentUrl()).contains("enabled=false", "domainId=" + domainId);

            // the server's time for one page of the 1,000 (printed, not asserted: speed targets belong in bench/)
            String session = browser.driver.manage().getCookieNamed("adsync-console").getValue();
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                Response r = given().cookie("adsync-console", session).get("/console/jobs?domainId=" + domainId + "&page=20");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.asString()).contains("Page 21 of 40");
                best = Math.min(best, r.timeIn(java.util.concurrent.TimeUnit.MILLISECONDS));
            }
            System.out.println("console: GET /console/jobs page 21 of 1,000 jobs took " + best + " ms (best of 3)");
        } finally {
            db.update("DELETE FROM sync_job WHERE domain_id = ? AND description = 'seeded'", domain);
        }
    }

    @Test
    void atPhoneWidthTheNavigationAndTheJobsTableAreUsable() {
        String domainId = Api.createDomain();
        for (int i = 0; i < 3; i++) {
            Api.createJob(Api.job(domainId).with("description", "A job with a fairly long description to wrap at phone width"));
        }
        signIn(ADMIN_KEY);
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        open("/console/jobs?domainId=" + domainId);
        browser.find("#jobs");
        long viewport = (Long) js("return document.documentElement.clientWidth;");
        assertThat(viewport).isLessThanOrEqualTo(390L);
        assertThat((Long) js("return document.documentElement.scrollWidth;")).as("the page body does not scroll sideways; wider: %s", overflowing(viewport))
                .isLessThanOrEqualTo(viewport);
        // the table is wider than the phone: it scrolls inside its own container
        WebElement wrap = browser.find(".table-wrap");
        assertThat((Long) js("return arguments[0].getBoundingClientRect().right;", wrap)).isLessThanOrEqualTo(viewport);
        assertThat((Long) js("return arguments[0].scrollWidth - arguments[0].clientWidth;", wrap)).isGreaterThan(0L);
        js("arguments[0].scrollLeft = arguments[0].scrollWidth;", wrap);
        WebElement runNow = browser.find("#jobs tbody tr:first-child .run-now");
        assertThat((Boolean) js("const r = arguments[0].getBoundingClientRect(); return r.left >= 0 && r.right <= arguments[1];", runNow, viewport))
                .as("the row actions can be scrolled into view").isTrue();
        // every navigation entry is on screen and works
        for (WebElement link : browser.driver.findElements(By.cssSelector("header.top nav a"))) {
            assertThat(link.isDisplayed()).isTrue();
            assertThat((Boolean) js("const r = arguments[0].getBoundingClientRect(); return r.left >= 0 && r.right <= arguments[1];", link, viewport))
                    .as(link.getText() + " is within the screen").isTrue();
        }
        browser.shot("phone-scheduled-jobs");
        browser.find("header.top nav a[href='/console/domains']").click();
        browser.wait.until(ExpectedConditions.urlContains("/console/domains"));
        browser.find("h1");
        long domainsViewport = (Long) js("return document.documentElement.clientWidth;");
        assertThat((Long) js("return document.documentElement.scrollWidth;")).as("Domains does not scroll sideways; wider: %s", overflowing(domainsViewport))
                .isLessThanOrEqualTo(domainsViewport);
    }

    /** The elements (outside a scrolling table) that reach past the viewport: the assertion's message. */
    private Object overflowing(long viewport) {
        return js("""
                return Array.from(document.querySelectorAll('body *')).filter(e => !(e.parentElement && e.parentElement.closest('.table-wrap'))
                  && e.getBoundingClientRect().right > arguments[0]).slice(0, 8)
                  .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ');""", viewport);
    }

    @Test
    void signInFromTheKeyboard() {
        browser.driver.manage().deleteAllCookies();
        open("/console/sign-in");
        WebElement key = browser.find("#j_password");
        assertThat(browser.driver.switchTo().activeElement()).as("the key field has focus on load").isEqualTo(key);
        key.sendKeys(ADMIN_KEY);
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        WebElement focused = browser.driver.switchTo().activeElement();
        assertThat(focused.getAttribute("id")).isEqualTo("sign-in");
        assertThat(focused.getText()).isEqualTo("Sign in");
        focused.sendKeys(Keys.ENTER);
        browser.wait.until(ExpectedConditions.urlContains("/console/jobs"));
        browser.find("#signed-in-role");
    }
}
