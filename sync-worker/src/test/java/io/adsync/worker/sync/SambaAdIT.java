package io.adsync.worker.sync;

import io.adsync.crypto.SecretCipher;
import io.adsync.directory.AdAttributes;
import io.adsync.directory.DirectoryConnector;
import io.adsync.domain.Domain;
import io.adsync.domain.Security;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunOptions;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;
import io.adsync.worker.claim.WorkerSettings;
import io.adsync.worker.claim.Worker;
import io.adsync.worker.claim.WorkerMetrics;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunResult;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine against real Active Directory semantics: two Samba AD DCs of the repository's fixture
 * ({@code deploy/samba-ad}), restored fresh for every run of this class:
 * <ul>
 *   <li>DC1 {@value #DC1_IP} ({@code dc1.adsync.test}, realm ADSYNC.TEST): 2,500 generated users (10% disabled with
 *       UAC 514/546/66050, every 50th without mail) plus the specials: "Zoë Ångström", "山田太郎", an expired user, a
 *       user without mail.</li>
 *   <li>DC2 {@value #DC2_IP} ({@code dc2.other.test}, realm OTHER.TEST): 25 users, a second domain.</li>
 * </ul>
 * Names resolve through {@code src/test/resources/ad-it/hosts} ({@code -Djdk.net.hosts.file}, set by the {@code ad-it}
 * profile), which also maps {@code wrong-name.adsync.test} to DC1 for the hostname verification test.
 * The tests run in order and build on each other's directory state. Run with
 * {@code ./mvnw -B -pl sync-worker verify -Pad-it} (as root, with the QUARKUS_DATASOURCE_* variables).
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "adsync.ad-it.scripts", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SambaAdIT {

    static final String DC1_IP = "127.0.0.41";
    static final String DC2_IP = "127.0.0.42";
    static final String DC1_NAME = "dc1.adsync.test";
    static final String DC2_NAME = "dc2.other.test";
    static final int USERS = 2500;
    static final int TOTAL = USERS + 4; // + specials
    /** The tests of full-sync behaviour ask for full syncs (a domain with a watermark is otherwise synced incrementally). */
    static final RunOptions FULL = new RunOptions(SyncMode.FULL, null);
    private static final Logger LOG = Logger.getLogger(SambaAdIT.class);

    static SambaDc dc1;
    static SambaDc dc2;
    static Domain domain1;
    static UUID job1;

    @Inject
    AdSyncExecutor executor;
    @Inject
    AgroalDataSource ds;
    @Inject
    io.adsync.worker.WorkerConfig workerConfig;
    @Inject
    SecretCipher cipher;
    @Inject
    MeterRegistry meters;
    EngineDb db;

    @BeforeAll
    static void startDcs() {
        Path scripts = Path.of(System.getProperty("adsync.ad-it.scripts")).toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        dc1 = SambaDc.fresh(scripts, DC1_IP, Path.of("/tmp/adsync-it-dc1"), "--users", Integer.toString(USERS), "--specials");
        dc2 = SambaDc.fresh(scripts, DC2_IP, Path.of("/tmp/adsync-it-dc2"), "--users", "25", "--realm", "OTHER.TEST",
                "--domain", "OTHER", "--hostname", "dc2");
        LOG.infof("AD IT: two DCs ready in %d ms", ms(t0));
    }

    @AfterAll
    static void stopDcs() {
        if (dc1 != null) {
            dc1.stopAndRemoveIp();
        }
        if (dc2 != null) {
            dc2.stopAndRemoveIp();
        }
    }

    @BeforeEach
    void setUp() throws SQLException {
        db = new EngineDb(ds, cipher);
        if (domain1 == null) {
            domain1 = db.insert(domain(dc1, "adsync.test", DC1_NAME, 636, Security.LDAPS, 1000), dc1.get("AD_BIND_PASSWORD"));
            job1 = db.job(domain1.id, 500, 20);
        }
    }

    static Domain domain(SambaDc dc, String name, String host, int port, Security security, int pageSize) {
        Domain d = new Domain();
        d.id = UUID.randomUUID();
        d.name = name + "-" + d.id.toString().substring(0, 8);
        d.hosts = List.of(host);
        d.port = port;
        d.security = security;
        d.caCertificatePem = dc.caPem();
        d.bindDn = dc.get("AD_BIND_DN");
        d.baseDn = dc.get("AD_SYNC_BASE_DN");
        d.userFilter = Domain.DEFAULT_USER_FILTER;
        d.pageSize = pageSize;
        d.connectTimeoutSeconds = 5;
        d.readTimeoutSeconds = 30;
        return d;
    }

    RunResult sync(UUID job, UUID domainId, RunOptions options) throws Exception {
        RunContext ctx = db.claimedRun(job, options, List.of(domainId));
        RunResult r = executor.execute(ctx);
        db.endRun(ctx);
        return r;
    }

    RunResult sync() throws Exception {
        return sync(job1, domain1.id, FULL);
    }

    Map<String, EngineDb.AccountRow> byUsername(UUID domainId) throws SQLException {
        return db.accounts(domainId).values().stream().collect(Collectors.toMap(EngineDb.AccountRow::username, r -> r,
                (a, b) -> a.active() ? a : b));
    }

    String users() {
        return dc1.get("AD_USERS_DN");
    }

    String dn(String cn) {
        return "CN=" + cn + "," + users();
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void testConnectionBindsOverLdapsByNameAndReadsTheRootDse() {
        DirectoryConnector.ConnectionTest t = new DirectoryConnector().test(domain1, dc1.get("AD_BIND_PASSWORD"));
        assertThat(t.ok()).as(t.message()).isTrue();
        assertThat(t.url()).isEqualTo("ldaps://" + DC1_NAME + ":636");
        assertThat(t.dnsHostName()).isEqualToIgnoringCase(DC1_NAME);
        assertThat(t.defaultNamingContext()).isEqualToIgnoringCase(dc1.get("AD_BASE_DN"));
        assertThat(t.baseDnFound()).isTrue();
        Domain byUpn = domain(dc1, "upn", DC1_IP, 636, Security.LDAPS, 1000);
        byUpn.bindDn = dc1.get("AD_BIND_UPN");
        assertThat(new DirectoryConnector().test(byUpn, dc1.get("AD_BIND_PASSWORD")).ok()).isTrue();
    }

    @Test
    @Order(2)
    void firstSyncOf2500UsersOverLdaps() throws Exception {
        long t0 = System.nanoTime();
        RunContext ctx = db.claimedRun(job1, RunOptions.DEFAULT, List.of(domain1.id));
        RunResult r = executor.execute(ctx);
        db.endRun(ctx);
        long took = ms(t0);
        LOG.infof("AD IT: first sync of %d users took %d ms (%s)", TOTAL, took, r.stats());
        System.out.printf("AD IT TIMING: first sync of %d users over LDAPS (page size 1000): %d ms%n", TOTAL, took);

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.stats()).isEqualTo(new RunStats(TOTAL, 0, 0, 0, 0, 0));
        assertThat(ctx.progress().entriesRead()).isEqualTo(TOTAL);
        assertThat(ctx.progress().pages()).isEqualTo(3);
        Map<String, EngineDb.AccountRow> rows = byUsername(domain1.id);
        assertThat(rows).hasSize(TOTAL);
        List<EngineDb.AccountRow> disabled = rows.values().stream()
                .filter(a -> AdUser.REASON_DISABLED.equals(a.reason())).toList();
        assertThat(disabled).hasSize(USERS / 10);
        assertThat(disabled).extracting(EngineDb.AccountRow::uac).containsOnly(514, 546, 66050);
        assertThat(disabled.stream().map(EngineDb.AccountRow::uac).distinct()).hasSize(3);
        assertThat(rows.values().stream().filter(EngineDb.AccountRow::active).count()).isEqualTo(TOTAL - USERS / 10 - 1);

        EngineDb.AccountRow expired = rows.get("expired.user");
        assertThat(expired.active()).isFalse();
        assertThat(expired.accountExpires()).isEqualTo(132_223_104_000_000_000L);
        assertThat(expired.reason()).isEqualTo(AdUser.REASON_EXPIRED_PREFIX + "2020-01-01T00:00:00Z)");
        EngineDb.AccountRow zoe = rows.get("zoe.angstrom");
        assertThat(zoe.displayName()).isEqualTo("Zoë Ångström");
        assertThat(zoe.dn()).startsWithIgnoringCase("CN=Zoë Ångström,");
        assertThat(zoe.active()).isTrue();
        EngineDb.AccountRow yamada = rows.get("yamada.taro");
        assertThat(yamada.displayName()).isEqualTo("山田太郎");
        assertThat(yamada.dn()).startsWithIgnoringCase("CN=山田太郎,");
        assertThat(rows.get("nomail.user").email()).isNull();
        assertThat(rows.get("nomail.user").active()).isTrue();
        assertThat(rows.get("user00049").email()).isNull();
        EngineDb.AccountRow u0 = rows.get("user00000");
        assertThat(u0.upn()).isEqualTo("user00000@adsync.test");
        assertThat(u0.email()).isEqualTo("user00000@adsync.test");
        assertThat(u0.dn()).isEqualToIgnoringCase(dn("user00000"));
        assertThat(u0.accountExpires()).isEqualTo(Long.MAX_VALUE);
        assertThat(u0.givenName()).isNotBlank();
        assertThat(u0.surname()).isNotBlank();
    }

    @Test
    @Order(3)
    void objectGuidIsStoredAsSambaPrintsIt() throws Exception {
        String ldif = dc1.ldapsearch(users(), "(sAMAccountName=user00000)", "objectGUID");
        String b64 = ldif.lines().filter(l -> l.startsWith("objectGUID:: ")).findFirst().orElseThrow().substring(13);
        String shown = dc1.sambaToolUserShow("user00000").lines().filter(l -> l.startsWith("objectGUID: "))
                .findFirst().orElseThrow().substring(12).strip();
        UUID stored = byUsername(domain1.id).get("user00000").objectGuid();
        assertThat(AdAttributes.guidToUuid(Base64.getDecoder().decode(b64))).isEqualTo(stored);
        assertThat(stored).isEqualTo(UUID.fromString(shown));
    }

    @Test
    @Order(4)
    void anUnchangedResyncWritesNoRow() throws Exception {
        Map<UUID, String> before = stamps(domain1.id);
        long t0 = System.nanoTime();
        RunResult r = sync();
        System.out.printf("AD IT TIMING: unchanged resync of %d users: %d ms%n", TOTAL, ms(t0));
        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.stats()).isEqualTo(new RunStats(0, 0, 0, 0, TOTAL, 0));
        assertThat(stamps(domain1.id)).isEqualTo(before);
    }

    @Test
    @Order(5)
    void renameAndMoveBetweenOusKeepTheAccount() throws Exception {
        Map<String, EngineDb.AccountRow> before = byUsername(domain1.id);
        dc1.ldapmodify("""
                dn: %1$s
                changetype: modrdn
                newrdn: CN=renamed.one
                deleteoldrdn: 1

                dn: CN=renamed.one,%2$s
                changetype: modify
                replace: sAMAccountName
                sAMAccountName: renamed.one
                -
                replace: userPrincipalName
                userPrincipalName: renamed.one@adsync.test
                -

                dn: %3$s
                changetype: modrdn
                newrdn: CN=user00002
                deleteoldrdn: 1
                newsuperior: %4$s
                """.formatted(dn("user00001"), users(), dn("user00002"), dc1.get("AD_MOVED_DN")));

        RunResult r = sync();

        assertThat(r.stats()).isEqualTo(new RunStats(0, 2, 0, 0, TOTAL - 2, 0));
        Map<String, EngineDb.AccountRow> after = byUsername(domain1.id);
        assertThat(after).hasSize(TOTAL).doesNotContainKey("user00001");
        assertThat(after.get("renamed.one").id()).isEqualTo(before.get("user00001").id());
        assertThat(after.get("renamed.one").upn()).isEqualTo("renamed.one@adsync.test");
        assertThat(after.get("renamed.one").dn()).isEqualToIgnoringCase("CN=renamed.one," + users());
        assertThat(after.get("user00002").id()).isEqualTo(before.get("user00002").id());
        assertThat(after.get("user00002").dn()).isEqualToIgnoringCase("CN=user00002," + dc1.get("AD_MOVED_DN"));
    }

    @Test
    @Order(6)
    void deletionAndMoveOutOfScopeDeactivate() throws Exception {
        dc1.delete(dn("user00003"));
        dc1.ldapmodify("""
                dn: %s
                changetype: modrdn
                newrdn: CN=user00004
                deleteoldrdn: 1
                newsuperior: %s
                """.formatted(dn("user00004"), dc1.get("AD_OUTSIDE_DN")));

        RunResult r = sync();

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.stats()).isEqualTo(new RunStats(0, 0, 2, 0, TOTAL - 2, 0));
        Map<String, EngineDb.AccountRow> rows = byUsername(domain1.id);
        assertThat(rows).hasSize(TOTAL);
        for (String u : List.of("user00003", "user00004")) {
            assertThat(rows.get(u).active()).as(u).isFalse();
            assertThat(rows.get(u).reason()).isEqualTo(DomainSync.REASON_NOT_FOUND);
        }
    }

    @Test
    @Order(7)
    void restoreMoveBackReEnableAndRecreate() throws Exception {
        Map<String, EngineDb.AccountRow> before = byUsername(domain1.id);
        EngineDb.AccountRow wasDisabled = before.values().stream()
                .filter(a -> a.username().startsWith("user") && a.uac() != null && a.uac() == 514).findFirst().orElseThrow();
        // restore the deleted user00003 from its tombstone (Show Deleted control): AD keeps its objectGUID
        String tombstone = dc1.ldapsearchShowDeleted("CN=Deleted Objects," + dc1.get("AD_BASE_DN"), "(sAMAccountName=user00003)")
                .lines().filter(l -> l.startsWith("dn: ")).findFirst().orElseThrow().substring(4);
        dc1.ldapmodify("""
                dn: %s
                changetype: modify
                delete: isDeleted
                -
                replace: distinguishedName
                distinguishedName: %s
                -
                """.formatted(tombstone, dn("user00003")), "!1.2.840.113556.1.4.417");
        dc1.ldapmodify("""
                dn: CN=user00004,%s
                changetype: modrdn
                newrdn: CN=user00004
                deleteoldrdn: 1
                newsuperior: %s

                dn: %s
                changetype: modify
                replace: userAccountControl
                userAccountControl: 512
                -
                """.formatted(dc1.get("AD_OUTSIDE_DN"), users(), wasDisabled.dn()));
        // user00005 deleted and created again: a new object (new objectGUID) with the same name
        dc1.delete(dn("user00005"));
        dc1.ldapmodify("""
                dn: %s
                changetype: add
                objectClass: user
                sAMAccountName: user00005
                userPrincipalName: user00005@adsync.test
                userAccountControl: 512
                """.formatted(dn("user00005")));

        RunResult r = sync();

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        // created: the new user00005; updated: none; deactivated: the old user00005; reactivated: 3
        assertThat(r.stats()).isEqualTo(new RunStats(1, 0, 1, 3, TOTAL - 4, 0));
        Map<UUID, EngineDb.AccountRow> rows = db.accounts(domain1.id);
        EngineDb.AccountRow restored = rows.get(before.get("user00003").objectGuid());
        assertThat(restored.active()).isTrue();
        assertThat(restored.reason()).isNull();
        assertThat(restored.id()).isEqualTo(before.get("user00003").id());
        assertThat(rows.get(before.get("user00004").objectGuid()).active()).isTrue();
        assertThat(rows.get(wasDisabled.objectGuid()).active()).isTrue();
        assertThat(rows.get(wasDisabled.objectGuid()).uac()).isEqualTo(512);
        EngineDb.AccountRow oldFive = rows.get(before.get("user00005").objectGuid());
        assertThat(oldFive.active()).isFalse();
        List<EngineDb.AccountRow> fives = rows.values().stream().filter(a -> a.username().equals("user00005")).toList();
        assertThat(fives).hasSize(2);
        assertThat(fives).filteredOn(EngineDb.AccountRow::active).hasSize(1)
                .allSatisfy(a -> assertThat(a.id()).isNotEqualTo(oldFive.id()));
    }

    @Test
    @Order(8)
    void deletionGuardTripsAndIsOverridden() throws Exception {
        UUID strictJob = db.job(domain1.id, 5, 20); // at most 5 deactivations
        // six active users (a disabled one going away would not count: it is not active)
        List<String> victims = byUsername(domain1.id).values().stream()
                .filter(a -> a.active() && a.username().matches("user001\\d\\d")).map(EngineDb.AccountRow::username)
                .sorted().limit(6).toList();
        assertThat(victims).hasSize(6);
        for (String v : victims) {
            dc1.delete(dn(v));
        }
        dc1.ldapmodify("""
                dn: %s
                changetype: modify
                replace: displayName
                displayName: Guard Test
                -
                """.formatted(dn("user00020")));

        RunResult tripped = sync(strictJob, domain1.id, FULL);

        assertThat(tripped.errorCategory()).isEqualTo(ErrorCategory.DELETION_THRESHOLD);
        assertThat(tripped.errorMessage()).contains("6 active accounts were not found").contains("min(maxDeactivations 5,");
        assertThat(tripped.stats().updated()).isEqualTo(1);
        assertThat(tripped.stats().deactivated()).isZero();
        Map<String, EngineDb.AccountRow> rows = byUsername(domain1.id);
        assertThat(rows.get("user00020").displayName()).isEqualTo("Guard Test");
        for (String v : victims) {
            assertThat(rows.get(v).active()).as(v).isTrue();
        }

        RunResult overridden = sync(strictJob, domain1.id, new RunOptions(SyncMode.FULL, true));

        assertThat(overridden.failed()).as(overridden.errorMessage()).isFalse();
        assertThat(overridden.stats().deactivated()).isEqualTo(6);
        rows = byUsername(domain1.id);
        for (String v : victims) {
            assertThat(rows.get(v).active()).as(v).isFalse();
            assertThat(rows.get(v).reason()).isEqualTo(DomainSync.REASON_NOT_FOUND);
        }
    }

    @Test
    @Order(9)
    void aDcStoppedMidRunDeactivatesNothingAndARerunAfterTheRestartSucceeds() throws Exception {
        dc1.delete(dn("user00030"));
        dc1.delete(dn("user00031"));
        Domain slow = db.insert(domain(dc1, "stopped", DC1_NAME, 636, Security.LDAPS, 20), dc1.get("AD_BIND_PASSWORD"));
        UUID job = db.job(slow.id, 500, 20);
        assertThat(sync(job, slow.id, RunOptions.DEFAULT).failed()).isFalse(); // baseline for this domain
        String victim = byUsername(slow.id).values().stream().filter(a -> a.active() && a.username().matches("user002\\d\\d"))
                .map(EngineDb.AccountRow::username).sorted().findFirst().orElseThrow();
        dc1.delete(dn(victim));

        RunContext ctx = db.claimedRun(job, FULL, List.of(slow.id));
        RunResult r;
        try {
            CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> executor.execute(ctx));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> ctx.progress().pages() >= 2);
            dc1.killNow();
            r = running.get(120, TimeUnit.SECONDS);
            db.endRun(ctx);
        } finally {
            dc1.stop(); // whatever happened, the DC is up again for the tests after this one
            dc1.start();
        }
        LOG.infof("AD IT: DC stopped after page %d: %s %s", ctx.progress().pages(), r.errorCategory(), r.errorMessage());

        assertThat(r.errorCategory()).as(r.errorMessage()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(ctx.progress().pages()).isLessThan((TOTAL + 19) / 20);
        assertThat(byUsername(slow.id).get(victim).active()).isTrue();
        assertThat(r.stats().deactivated()).isZero();

        RunResult rerun = sync(job, slow.id, FULL);
        assertThat(rerun.failed()).as(rerun.errorMessage()).isFalse();
        assertThat(rerun.stats().deactivated()).isEqualTo(1);
        assertThat(byUsername(slow.id).get(victim).active()).isFalse();
    }

    @Test
    @Order(10)
    void wrongPasswordIsAuth() throws Exception {
        String wrong = "Wrong-" + UUID.randomUUID();
        Domain d = db.insert(domain(dc1, "wrongpw", DC1_NAME, 636, Security.LDAPS, 1000), wrong);
        RunResult r = sync(db.job(d.id, 500, 20), d.id, RunOptions.DEFAULT);
        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.AUTH);
        assertThat(r.errorMessage()).contains("invalidCredentials (49)").doesNotContain(wrong);
        assertThat(db.accounts(d.id)).isEmpty();
    }

    @Test
    @Order(11)
    void startTlsWithTheFixtureCa() throws Exception {
        Domain d = db.insert(domain(dc1, "starttls", DC1_NAME, 389, Security.STARTTLS, 1000), dc1.get("AD_BIND_PASSWORD"));
        RunResult r = sync(db.job(d.id, 500, 20), d.id, RunOptions.DEFAULT);
        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.stats().created()).isEqualTo(db.accounts(d.id).size()).isGreaterThan(2400);
    }

    @Test
    @Order(12)
    void ldapsWithAWrongCaIsTls() throws Exception {
        Domain d = domain(dc1, "wrongca", DC1_NAME, 636, Security.LDAPS, 1000);
        d.caCertificatePem = dc2.caPem(); // a real CA, but not DC1's
        db.insert(d, dc1.get("AD_BIND_PASSWORD"));
        RunResult r = sync(db.job(d.id, 500, 20), d.id, RunOptions.DEFAULT);
        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.TLS);
        assertThat(r.errorMessage()).containsIgnoringCase("certification path");
        Domain none = domain(dc1, "noca", DC1_NAME, 636, Security.STARTTLS, 1000);
        none.port = 389;
        none.caCertificatePem = null;
        DirectoryConnector.ConnectionTest t = new DirectoryConnector().test(none, dc1.get("AD_BIND_PASSWORD"));
        assertThat(t.category()).isEqualTo(ErrorCategory.TLS);
        assertThat(t.durationMs()).as("reported without waiting for the 5 s connect timeout").isLessThan(3000);
    }

    @Test
    @Order(13)
    void aNameTheCertificateDoesNotCarryFailsHostnameVerification() throws Exception {
        // wrong-name.adsync.test resolves to DC1 (ad-it/hosts), whose certificate is for IP:127.0.0.41 and
        // DNS:dc1.adsync.test / dc1 only: the right DC, a trusted CA, and still refused
        for (Security s : List.of(Security.LDAPS, Security.STARTTLS)) {
            Domain d = domain(dc1, "wrongname", "wrong-name.adsync.test", s == Security.LDAPS ? 636 : 389, s, 1000);
            DirectoryConnector.ConnectionTest t = new DirectoryConnector().test(d, dc1.get("AD_BIND_PASSWORD"));
            assertThat(t.category()).as(t.message()).isEqualTo(ErrorCategory.TLS);
            assertThat(t.message()).contains("hostname verification failed");
            assertThat(t.durationMs()).isLessThan(3000);
        }
        // and by IP address, which the certificate does carry
        assertThat(new DirectoryConnector().test(domain(dc1, "byip", DC1_IP, 636, Security.LDAPS, 1000),
                dc1.get("AD_BIND_PASSWORD")).ok()).isTrue();
    }

    @Test
    @Order(14)
    void failsOverPastADeadFirstHost() throws Exception {
        Domain d = domain(dc1, "failover", DC1_NAME, 636, Security.LDAPS, 1000);
        d.hosts = List.of("127.0.0.99", DC1_NAME);
        db.insert(d, dc1.get("AD_BIND_PASSWORD"));
        long t0 = System.nanoTime();
        RunResult r = sync(db.job(d.id, 500, 20), d.id, RunOptions.DEFAULT);
        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = ((List<Map<String, Object>>) r.details().get("domains")).getFirst();
        assertThat(detail).containsEntry("server", "ldaps://" + DC1_NAME + ":636");
        LOG.infof("AD IT: failover sync took %d ms", ms(t0));
    }

    @Test
    @Order(15)
    void aBaseDnAtTheDomainRootReadsEveryUserAndIgnoresTheContinuationReferences() throws Exception {
        Domain d = domain(dc1, "root", DC1_NAME, 636, Security.LDAPS, 1000);
        d.baseDn = dc1.get("AD_BASE_DN"); // Samba answers with a reference to CN=Configuration as well
        db.insert(d, dc1.get("AD_BIND_PASSWORD"));
        RunResult r = sync(db.job(d.id, 500, 20), d.id, RunOptions.DEFAULT);
        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        Map<String, EngineDb.AccountRow> rows = byUsername(d.id);
        assertThat(rows.get("Administrator").active()).isTrue();
        assertThat(rows.get("krbtgt").active()).isFalse(); // 514 on every DC
        assertThat(rows.get("zoe.angstrom").active()).isTrue();
        assertThat(rows.get("user00004").dn()).containsIgnoringCase("OU=Users,OU=adsync"); // moved back in test 7
        assertThat(r.stats().created()).isEqualTo(rows.size());
    }

    @Test
    @Order(16)
    void twoDomainsOnTwoDcsUnderSyncAllDomains() throws Exception {
        db.execute("TRUNCATE account, domain_lease, job_run, sync_job, ad_domain, job_server CASCADE");
        Domain a = db.insert(domain(dc1, "a-adsync", DC1_NAME, 636, Security.LDAPS, 1000), dc1.get("AD_BIND_PASSWORD"));
        Domain b = db.insert(domain(dc2, "b-other", DC2_NAME, 636, Security.LDAPS, 10), dc2.get("AD_BIND_PASSWORD"));
        UUID all = db.job(null, 500, 20);
        Worker worker = new Worker(ds, null, workerConfig.toSettings("ad-it"), executor, new WorkerMetrics(meters), "ad-it");
        worker.start();
        try {
            UUID run = db.queueRun(all, RunOptions.DEFAULT);
            worker.wakeUp();
            EngineDb.RunRow ok = awaitEnd(run);
            assertThat(ok.state()).as(ok.errorMessage()).isEqualTo("SUCCEEDED");
            assertThat(ok.details()).contains(a.name).contains(b.name).doesNotContain("FAILED");
            assertThat(db.accounts(b.id)).hasSize(25);
            long inA = db.accounts(a.id).size();
            assertThat(inA).isGreaterThan(2400);
            assertThat(ok.stats()).contains("\"created\": " + (inA + 25));

            // the second DC's domain now fails (wrong password): the run fails, the first domain is still synced
            db.execute("UPDATE ad_domain SET bind_password_enc = decode('" + java.util.HexFormat.of()
                    .formatHex(cipher.encrypt("nope", b.id)) + "', 'hex') WHERE id = '" + b.id + "'");
            dc1.ldapmodify("""
                    dn: %s
                    changetype: modify
                    replace: displayName
                    displayName: Two Domains
                    -
                    """.formatted(dn("user00040")));
            UUID run2 = db.queueRun(all, RunOptions.DEFAULT);
            worker.wakeUp();
            EngineDb.RunRow failed = awaitEnd(run2);
            assertThat(failed.state()).isEqualTo("FAILED");
            assertThat(failed.errorCategory()).isEqualTo("AUTH");
            assertThat(failed.errorMessage()).startsWith("1 of 2 domains failed: " + b.name + ": AUTH");
            assertThat(failed.details()).contains("\"state\": \"SUCCEEDED\"").contains("\"state\": \"FAILED\"");
            assertThat(failed.stats()).contains("\"updated\": 1");
            assertThat(byUsername(a.id).get("user00040").displayName()).isEqualTo("Two Domains");
        } finally {
            worker.stop();
        }
    }

    // --- incremental sync ------------------------------------------------------------------------------------

    static Domain incr;
    static UUID incrJob;

    /** The active generated users of a domain whose names match, sorted. */
    List<String> activeUsers(UUID domainId, String regex) throws SQLException {
        return byUsername(domainId).values().stream().filter(a -> a.active() && a.username().matches(regex))
                .map(EngineDb.AccountRow::username).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> detail(RunResult r) {
        return ((List<Map<String, Object>>) r.details().get("domains")).getFirst();
    }

    @Test
    @Order(17)
    void anIncrementalSyncPicksUpExactlyWhatChangedSinceTheLastRun() throws Exception {
        incr = domain(dc1, "incr", DC1_NAME, 636, Security.LDAPS, 1000);
        incr.userFilter = "(&(objectCategory=person)(objectClass=user)(!(description=nosync)))";
        db.insert(incr, dc1.get("AD_BIND_PASSWORD"));
        incrJob = db.job(incr.id, 500, 20);
        RunResult first = sync(incrJob, incr.id, RunOptions.DEFAULT);
        assertThat(first.failed()).as(first.errorMessage()).isFalse();
        assertThat(first.mode()).isEqualTo(SyncMode.FULL);
        assertThat(first.modeReason()).isEqualTo("no watermark yet: the first sync of this domain is full");
        // the watermark: this DC's invocationId (of the NTDS Settings object its rootDSE names) and a USN
        Watermark w = db.watermarks(incr.id).get(DC1_NAME);
        String ntds = SambaDc.ldifValue(dc1.ldapsearchBase("", "dsServiceName"), "dsServiceName");
        byte[] invocation = Base64.getDecoder().decode(SambaDc.ldifValue(dc1.ldapsearchBase(ntds, "invocationId"), "invocationId"));
        assertThat(w.invocationId()).isEqualTo(AdAttributes.guidToUuid(invocation));
        assertThat(w.serverName()).isEqualToIgnoringCase(ntds);
        long usnNow = Long.parseLong(SambaDc.ldifValue(dc1.ldapsearchBase("", "highestCommittedUSN"), "highestCommittedUSN"));
        assertThat(w.highestUsn()).isPositive().isLessThanOrEqualTo(usnNow);

        List<String> u = activeUsers(incr.id, "user01\\d\\d\\d");
        String movedBack = u.get(0);
        dc1.ldapmodify(moveLdif(dn(movedBack), movedBack, dc1.get("AD_OUTSIDE_DN")));
        RunResult out = sync(incrJob, incr.id, RunOptions.DEFAULT);
        assertThat(out.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(out.stats()).isEqualTo(new RunStats(0, 0, 1, 0, 0, 0));
        assertThat(byUsername(incr.id).get(movedBack).reason()).isEqualTo(DomainSync.REASON_OUT_OF_SCOPE);

        // added, modified, disabled, renamed, moved (within the scope), deleted, moved out of the scope, no longer
        // matching the filter, moved back in
        dc1.ldapmodify("""
                dn: CN=incr.new,%1$s
                changetype: add
                objectClass: user
                sAMAccountName: incr.new
                userPrincipalName: incr.new@adsync.test
                userAccountControl: 512

                dn: %2$s
                changetype: modify
                replace: displayName
                displayName: Incremental Two
                -

                dn: %3$s
                changetype: modify
                replace: userAccountControl
                userAccountControl: 514
                -

                dn: %4$s
                changetype: modrdn
                newrdn: CN=incr.renamed
                deleteoldrdn: 1

                dn: CN=incr.renamed,%1$s
                changetype: modify
                replace: sAMAccountName
                sAMAccountName: incr.renamed
                -

                dn: %5$s
                changetype: modify
                replace: description
                description: nosync
                -
                """.formatted(users(), dn(u.get(1)), dn(u.get(2)), dn(u.get(3)), dn(u.get(7))));
        dc1.ldapmodify(moveLdif(dn(u.get(4)), u.get(4), dc1.get("AD_MOVED_DN")));
        dc1.delete(dn(u.get(5)));
        dc1.ldapmodify(moveLdif(dn(u.get(6)), u.get(6), dc1.get("AD_OUTSIDE_DN")));
        dc1.ldapmodify(moveLdif("CN=" + movedBack + "," + dc1.get("AD_OUTSIDE_DN"), movedBack, users()));
        Map<String, EngineDb.AccountRow> before = byUsername(incr.id);

        RunContext ctx = db.claimedRun(incrJob, RunOptions.DEFAULT, List.of(incr.id));
        RunResult r = executor.execute(ctx);
        db.endRun(ctx);

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(r.modeReason()).startsWith("changes since USN ").contains(" on " + DC1_NAME);
        // created: incr.new; updated: modified, renamed, moved; deactivated: disabled, deleted, moved out, filtered
        // out; reactivated: moved back
        assertThat(r.stats()).isEqualTo(new RunStats(1, 3, 4, 1, 0, 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> reads = (Map<String, Object>) detail(r).get("reads");
        LOG.infof("AD IT: incremental run after 9 changes read %d entries: %s", ctx.progress().entriesRead(), reads);
        // looked up by objectGUID and in the scope: the 6 changed there (not the one deleted, not the 2 that left it)
        assertThat(reads).containsEntry("inScope", 6L).containsEntry("tombstones", 1L);
        // the range scan: the 6 changed in the scope, the 2 that left it, the tombstone (+ Administrator, whose logon
        // Samba may record while the test binds)
        assertThat((Long) reads.get("changes")).isBetween(9L, 10L);
        assertThat(detail(r)).containsEntry("deleted", 1L).containsEntry("outOfScope", 2L);
        Map<String, EngineDb.AccountRow> after = byUsername(incr.id);
        assertThat(after.get("incr.new").active()).isTrue();
        assertThat(after.get(u.get(1)).displayName()).isEqualTo("Incremental Two");
        assertThat(after.get(u.get(2)).reason()).isEqualTo(AdUser.REASON_DISABLED);
        assertThat(after.get("incr.renamed").id()).isEqualTo(before.get(u.get(3)).id());
        assertThat(after).doesNotContainKey(u.get(3));
        assertThat(after.get(u.get(4)).dn()).isEqualToIgnoringCase("CN=" + u.get(4) + "," + dc1.get("AD_MOVED_DN"));
        assertThat(after.get(u.get(4)).active()).isTrue();
        assertThat(after.get(u.get(5)).reason()).isEqualTo(DomainSync.REASON_DELETED);
        assertThat(after.get(u.get(6)).reason()).isEqualTo(DomainSync.REASON_OUT_OF_SCOPE);
        assertThat(after.get(u.get(7)).reason()).isEqualTo(DomainSync.REASON_OUT_OF_SCOPE);
        assertThat(after.get(movedBack).active()).isTrue();
        assertThat(after.get(movedBack).reason()).isNull();
        assertThat(after.get(movedBack).id()).isEqualTo(before.get(movedBack).id());

        // a full sync finds nothing the incremental ones missed
        RunResult full = sync(incrJob, incr.id, FULL);
        assertThat(full.stats().created() + full.stats().updated() + full.stats().deactivated() + full.stats().reactivated())
                .isZero();
    }

    @Test
    @Order(18)
    void aRestoredDcOrAnotherDcAnsweringFallsBackToAFullSync() throws Exception {
        assertThat(sync(incrJob, incr.id, RunOptions.DEFAULT).mode()).isEqualTo(SyncMode.INCREMENTAL);

        // as if the DC had been restored from a backup: the stored invocationId no longer matches
        db.execute("UPDATE domain_watermark SET invocation_id = gen_random_uuid() WHERE domain_id = '" + incr.id + "'");
        RunResult restored = sync(incrJob, incr.id, RunOptions.DEFAULT);
        assertThat(restored.failed()).as(restored.errorMessage()).isFalse();
        assertThat(restored.mode()).isEqualTo(SyncMode.FULL);
        assertThat(restored.modeReason()).startsWith("the invocationId of " + DC1_NAME + " changed from ");
        assertThat(restored.stats().unchanged()).isGreaterThan(2400);
        assertThat(sync(incrJob, incr.id, RunOptions.DEFAULT).mode()).isEqualTo(SyncMode.INCREMENTAL);

        // failover: the first DC does not answer, the second host does
        db.updateDomain(incr.id, "hosts", List.of("127.0.0.99", DC1_IP));
        RunResult failover = sync(incrJob, incr.id, RunOptions.DEFAULT);
        assertThat(failover.failed()).as(failover.errorMessage()).isFalse();
        assertThat(failover.mode()).isEqualTo(SyncMode.FULL);
        assertThat(failover.modeReason()).isEqualTo("another domain controller answered (failover): the watermark is from "
                + DC1_NAME + ", this run reads " + DC1_IP + "; update sequence numbers are per DC");
        assertThat(detail(failover)).containsEntry("server", "ldaps://" + DC1_IP + ":636");
        assertThat(db.watermarks(incr.id)).containsKeys(DC1_NAME, DC1_IP);
        RunResult onSecond = sync(incrJob, incr.id, RunOptions.DEFAULT);
        assertThat(onSecond.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(onSecond.modeReason()).contains(" on " + DC1_IP);
        db.updateDomain(incr.id, "hosts", List.of(DC1_NAME));
        assertThat(sync(incrJob, incr.id, RunOptions.DEFAULT).modeReason())
                .startsWith("another domain controller answered (failover): the watermark is from " + DC1_IP);
    }

    @Test
    @Order(19)
    void anIncrementalSyncAfterTenChangesReadsOnlyTheChangedEntries() throws Exception {
        RunContext fullCtx = db.claimedRun(incrJob, FULL, List.of(incr.id));
        assertThat(executor.execute(fullCtx).failed()).isFalse();
        db.endRun(fullCtx);
        long fullRead = fullCtx.progress().entriesRead();
        assertThat(fullRead).isGreaterThanOrEqualTo(2000);
        List<String> ten = activeUsers(incr.id, "user02\\d\\d\\d").subList(0, 10);
        StringBuilder ldif = new StringBuilder();
        for (String name : ten) {
            ldif.append("dn: ").append(dn(name)).append("\nchangetype: modify\nreplace: displayName\ndisplayName: Ten ")
                    .append(name).append("\n-\n\n");
        }
        dc1.ldapmodify(ldif.toString());

        long t0 = System.nanoTime();
        RunContext ctx = db.claimedRun(incrJob, RunOptions.DEFAULT, List.of(incr.id));
        RunResult r = executor.execute(ctx);
        db.endRun(ctx);
        long took = ms(t0);

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(r.stats()).isEqualTo(new RunStats(0, 10, 0, 0, 0, 0));
        long read = ctx.progress().entriesRead();
        System.out.printf("AD IT ENTRIES: incremental sync after 10 changes on %d users: entriesRead %d (full sync: %d), %d ms %s%n",
                fullRead, read, fullRead, took, detail(r).get("reads"));
        @SuppressWarnings("unchecked")
        Map<String, Object> reads = (Map<String, Object>) detail(r).get("reads");
        assertThat(reads).containsEntry("inScope", 10L).containsEntry("tombstones", 0L);
        assertThat((Long) reads.get("changes")).isBetween(10L, 11L);
        // each changed user once in the range scan and once in the lookup by objectGUID (+ at most Administrator's logon)
        assertThat(read).isBetween(20L, 21L);
        for (String name : ten) {
            assertThat(byUsername(incr.id).get(name).displayName()).isEqualTo("Ten " + name);
        }

        // more changed users than one lookup by objectGUID takes: all of them arrive, through several lookups
        Map<String, EngineDb.AccountRow> rows = byUsername(incr.id);
        List<String> many = activeUsers(incr.id, "user00\\d\\d\\d").stream()
                .filter(name -> rows.get(name).dn().equalsIgnoreCase(dn(name))) // not moved by an earlier test
                .limit(2 * GuidLookup.CHUNK + 50).toList();
        assertThat(many).hasSize(2 * GuidLookup.CHUNK + 50);
        ldif.setLength(0);
        for (String name : many) {
            ldif.append("dn: ").append(dn(name)).append("\nchangetype: modify\nreplace: displayName\ndisplayName: Many ")
                    .append(name).append("\n-\n\n");
        }
        dc1.ldapmodify(ldif.toString());
        RunResult chunked = sync(incrJob, incr.id, RunOptions.DEFAULT);
        assertThat(chunked.failed()).as(chunked.errorMessage()).isFalse();
        assertThat(chunked.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(chunked.stats()).isEqualTo(new RunStats(0, many.size(), 0, 0, 0, 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> chunkedReads = (Map<String, Object>) detail(chunked).get("reads");
        assertThat(chunkedReads).containsEntry("inScope", (long) many.size()).containsEntry("tombstones", 0L);
        Map<String, EngineDb.AccountRow> after = byUsername(incr.id);
        for (String name : many) {
            assertThat(after.get(name).displayName()).isEqualTo("Many " + name);
        }
    }

    // --- groups ------------------------------------------------------------------------------------------------

    static Domain groupsDomain;
    static UUID groupsJob;

    /** Direct members of a group (by name): account usernames, and "group:<name>" for nested groups. */
    java.util.Set<String> members(UUID domainId, String groupName) throws SQLException {
        return io.adsync.worker.db.Tx.run(ds, c -> {
            java.util.Set<String> names = new java.util.HashSet<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement("""
                    SELECT a.username FROM group_membership m JOIN account a ON a.id = m.account_id
                      JOIN ad_group g ON g.id = m.group_id WHERE g.domain_id = ? AND g.name = ?
                    UNION ALL
                    SELECT 'group:' || n.name FROM group_nesting x JOIN ad_group n ON n.id = x.member_group_id
                      JOIN ad_group g ON g.id = x.group_id WHERE g.domain_id = ? AND g.name = ?""")) {
                ps.setObject(1, domainId);
                ps.setString(2, groupName);
                ps.setObject(3, domainId);
                ps.setString(4, groupName);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
            return names;
        });
    }

    /** name to [id, active, distinguishedName]. */
    Map<String, Object[]> groups(UUID domainId) throws SQLException {
        return io.adsync.worker.db.Tx.run(ds, c -> {
            Map<String, Object[]> rows = new java.util.HashMap<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "SELECT name, id, active, distinguished_name, object_guid FROM ad_group WHERE domain_id = ?")) {
                ps.setObject(1, domainId);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), new Object[] {rs.getObject(2), rs.getBoolean(3), rs.getString(4), rs.getObject(5)});
                    }
                }
            }
            return rows;
        });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> groupStats(RunResult r) {
        return (Map<String, Object>) detail(r).get("groups");
    }

    @Test
    @Order(20)
    void groupsWithA3000MemberGroupReadInExplicitRangesAndNestedGroupsWithACycle() throws Exception {
        String groupsOu = dc1.get("AD_GROUPS_DN");
        long t0 = System.nanoTime();
        dc1.seedGenerated("--count", "3000", "--prefix", "big", "--ou", users(), "--groups", "--groups-ou", groupsOu,
                "--disabled-percent", "0");
        LOG.infof("AD IT: seeded 3,000 users and 6 groups in %d ms", ms(t0));
        // a cycle: big-nested contains big-every10, and now big-every10 contains big-nested
        dc1.ldapmodify("""
                dn: CN=big-every10,%1$s
                changetype: modify
                add: member
                member: CN=big-nested,%1$s
                -
                """.formatted(groupsOu));
        groupsDomain = domain(dc1, "groups", DC1_NAME, 636, Security.LDAPS, 1000);
        groupsDomain.groupBaseDn = groupsOu;
        db.insert(groupsDomain, dc1.get("AD_BIND_PASSWORD"));
        db.updateDomain(groupsDomain.id, "group_base_dn", groupsOu);
        groupsJob = db.job(groupsDomain.id, 500, 20);
        // Samba never splits member into ranges by itself: ask for explicit ranges of 1,500 values
        AdSyncExecutor ranged = new AdSyncExecutor(ds, cipher, new DirectoryConnector(), 1000, 1500, java.time.Clock.systemUTC());

        RunContext ctx = db.claimedRun(groupsJob, RunOptions.DEFAULT, List.of(groupsDomain.id));
        RunResult r = ranged.execute(ctx);
        db.endRun(ctx);

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        Map<String, Object> stats = groupStats(r);
        LOG.infof("AD IT: groups %s", stats);
        assertThat(stats).containsEntry("created", 6L).containsEntry("deactivated", 0L).containsEntry("errors", 0L);
        // 6 groups; big-all in 2 or 3 explicit ranges (0-1499, 1500-2999[, 3000-...]), the others in one
        assertThat((Long) stats.get("entriesRead")).isBetween(6L + 5 + 2, 6L + 5 + 3);
        java.util.Set<String> all = members(groupsDomain.id, "big-all");
        assertThat(all).hasSize(3000).contains("big00000", "big01499", "big01500", "big02999");
        assertThat(members(groupsDomain.id, "big-even")).hasSize(1500);
        assertThat(members(groupsDomain.id, "big-empty")).isEmpty();
        assertThat(members(groupsDomain.id, "big-nested")).containsExactly("group:big-every10");
        java.util.Set<String> every10 = members(groupsDomain.id, "big-every10");
        assertThat(every10).hasSize(301).contains("group:big-nested", "big00000", "big02990");
        assertThat(groups(groupsDomain.id)).containsOnlyKeys("big-all", "big-every10", "big-even", "big-empty", "big-nested",
                "big-dist");

        // the same directory read with the ranges Samba chooses (all at once): the same memberships, nothing written
        RunResult plain = sync(groupsJob, groupsDomain.id, RunOptions.DEFAULT);
        assertThat(groupStats(plain)).containsEntry("unchanged", 6L).containsEntry("membershipsAdded", 0L)
                .containsEntry("membershipsRemoved", 0L).containsEntry("entriesRead", 12L);
    }

    @Test
    @Order(21)
    void aRenamedGroupKeepsItsIdentityAndADeletedGroupIsDeactivatedWithItsMemberships() throws Exception {
        String groupsOu = dc1.get("AD_GROUPS_DN");
        Map<String, Object[]> before = groups(groupsDomain.id);
        int distMembers = members(groupsDomain.id, "big-dist").size();
        assertThat(distMembers).isEqualTo(1000);
        dc1.ldapmodify("""
                dn: CN=big-even,%1$s
                changetype: modrdn
                newrdn: CN=big-even-renamed
                deleteoldrdn: 1

                dn: CN=big-even-renamed,%1$s
                changetype: modify
                replace: sAMAccountName
                sAMAccountName: big-even-renamed
                -
                replace: description
                description: renamed
                -
                """.formatted(groupsOu));
        dc1.delete("CN=big-dist," + groupsOu);
        dc1.delete(dn("big00002")); // a member of big-all and big-even: AD drops it from both

        RunResult r = sync(groupsJob, groupsDomain.id, RunOptions.DEFAULT);

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        Map<String, Object> stats = groupStats(r);
        LOG.infof("AD IT: groups after rename and delete %s", stats);
        // big00002 leaves big-all, big-even (renamed) and big-dist; big-dist's other 999 go with it
        assertThat(stats).containsEntry("updated", 1L).containsEntry("deactivated", 1L).containsEntry("created", 0L)
                .containsEntry("membershipsAdded", 0L).containsEntry("membershipsRemoved", (long) distMembers + 2);
        Map<String, Object[]> after = groups(groupsDomain.id);
        assertThat(after).doesNotContainKey("big-even");
        assertThat(after.get("big-even-renamed")[0]).isEqualTo(before.get("big-even")[0]);
        assertThat((String) after.get("big-even-renamed")[2]).isEqualToIgnoringCase("CN=big-even-renamed," + groupsOu);
        assertThat(after.get("big-dist")[1]).isEqualTo(false);
        assertThat(members(groupsDomain.id, "big-dist")).isEmpty();
        assertThat(members(groupsDomain.id, "big-even-renamed")).hasSize(1499).doesNotContain("big00002");
        assertThat(members(groupsDomain.id, "big-all")).hasSize(2999);
        assertThat(byUsername(groupsDomain.id).get("big00002").reason()).isEqualTo(DomainSync.REASON_DELETED);
    }

    static String moveLdif(String dn, String cn, String newSuperior) {
        return """
                dn: %s
                changetype: modrdn
                newrdn: CN=%s
                deleteoldrdn: 1
                newsuperior: %s
                """.formatted(dn, cn, newSuperior);
    }

    private EngineDb.RunRow awaitEnd(UUID runId) {
        return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> db.run(runId).orElseThrow(), r -> !r.state().equals("QUEUED") && !r.state().equals("RUNNING"));
    }

    private Map<UUID, String> stamps(UUID domainId) throws SQLException {
        return db.accounts(domainId).values().stream().collect(Collectors.toMap(EngineDb.AccountRow::objectGuid,
                EngineDb.AccountRow::writeStamp));
    }

    // ---- attribute mappings (issue 13) ---------------------------------------------------------------------

    static final String ORG_MAPPINGS = """
            [{"source":"department","target":"department","type":"STRING"},
             {"source":"company","target":"company","type":"STRING"},
             {"source":"otherTelephone","target":"phones","type":"STRINGS"},
             {"source":"userAccountControl","target":"uac","type":"INTEGER"},
             {"source":"showInAdvancedViewOnly","target":"advanced","type":"BOOLEAN"},
             {"source":"whenCreated","target":"created","type":"DATETIME"},
             {"source":"pwdLastSet","target":"pwdLastSet","type":"DATETIME"},
             {"source":"thumbnailPhoto","target":"photo","type":"BINARY"},
             {"source":"objectGUID","target":"guid","type":"GUID"},
             {"source":"objectSid","target":"sid","type":"SID"},
             {"source":"manager","target":"manager","type":"DN_REFERENCE"}]""";

    static Domain org;
    static UUID orgJob;
    static String orgOu;

    /** The org domain's syncs, with a binary cap of 4 KiB (user 7's 2 KiB photo is stored, user 13's 10,000 bytes are not). */
    RunResult orgSync(RunOptions options) throws Exception {
        AdSyncExecutor capped = new AdSyncExecutor(ds, cipher, new DirectoryConnector(), 1000, 0, 4096, java.time.Clock.systemUTC());
        RunContext ctx = db.claimedRun(orgJob, options, List.of(org.id));
        RunResult r = capped.execute(ctx);
        db.endRun(ctx);
        return r;
    }

    String orgDn(int i) {
        return String.format("CN=org%05d,%s", i, orgOu);
    }

    Map<String, EngineDb.Mapped> orgMapped() throws SQLException {
        return db.mapped(org.id);
    }

    @Test
    @Order(22)
    void attributeMappingsOfEveryTypeAndManagerLinksOnSamba() throws Exception {
        String root = dc1.get("AD_SYNC_BASE_DN").substring(dc1.get("AD_SYNC_BASE_DN").indexOf(',') + 1);
        orgOu = "OU=Org," + root;
        dc1.ldapmodify("dn: " + orgOu + "\nchangetype: add\nobjectClass: organizationalUnit\nou: Org\n\n"
                + "dn: OU=OrgMoved," + orgOu + "\nchangetype: add\nobjectClass: organizationalUnit\nou: OrgMoved\n");
        // 40 users with the fixture's org data: department, title, company, phones, office, user 7 a 2 KiB photo, and
        // a manager tree (user i reports to user (i-1)/5): org00031 -> org00006 -> org00001 -> org00000
        dc1.seedGenerated("--count", "40", "--ou", orgOu, "--prefix", "org", "--org", "--disabled-percent", "0");
        // a cycle over the chain: org00000 reports to org00031; org00039 reports to a user outside the scope
        String[] phones = java.util.stream.IntStream.range(0, 1600).mapToObj(n -> String.format("+1 555 %05d", 1600 - n))
                .toArray(String[]::new);
        dc1.ldapmodify("dn: " + orgDn(0) + "\nchangetype: modify\nreplace: manager\nmanager: " + orgDn(31) + "\n-\n\n"
                + "dn: " + orgDn(39) + "\nchangetype: modify\nreplace: manager\nmanager: " + dn("user00100") + "\n-\n\n"
                + "dn: " + orgDn(12) + "\nchangetype: modify\nreplace: showInAdvancedViewOnly\nshowInAdvancedViewOnly: TRUE\n-\n"
                + "replace: otherTelephone\n" + java.util.Arrays.stream(phones).map(p -> "otherTelephone: " + p + "\n")
                .collect(Collectors.joining()) + "-\n\n"
                + "dn: " + orgDn(13) + "\nchangetype: modify\nreplace: thumbnailPhoto\nthumbnailPhoto:: "
                + Base64.getEncoder().encodeToString(new byte[10_000]) + "\n-\n");
        org = domain(dc1, "org", DC1_NAME, 636, Security.LDAPS, 1000);
        org.baseDn = orgOu;
        db.insert(org, dc1.get("AD_BIND_PASSWORD"));
        db.mappings(org.id, ORG_MAPPINGS);
        orgJob = db.job(org.id, 500, 20);
        // the connection test reads the schema: it knows every mapped attribute but the made-up one
        org.attributeMappings = new java.util.ArrayList<>(io.adsync.domain.AttributeMapping.DEFAULTS);
        org.attributeMappings.add(new io.adsync.domain.AttributeMapping("adsyncNoSuchAttribute", "nope",
                io.adsync.domain.AttributeType.STRING));
        DirectoryConnector.ConnectionTest probe = new DirectoryConnector().test(org, dc1.get("AD_BIND_PASSWORD"));
        assertThat(probe.ok()).as(probe.message()).isTrue();
        assertThat(probe.unknownAttributes()).containsExactly("adsyncNoSuchAttribute");
        org.attributeMappings = null;
        RunResult first = orgSync(RunOptions.DEFAULT);

        assertThat(first.failed()).as(first.errorMessage()).isFalse();
        assertThat(first.stats().created()).isEqualTo(40);
        Map<String, EngineDb.Mapped> m = orgMapped();
        com.fasterxml.jackson.databind.JsonNode a12 = m.get("org00012").json();
        assertThat(a12.get("department").asText()).isEqualTo("Engineering");
        assertThat(a12.get("company").asText()).isEqualTo("Adsync Corp");
        assertThat(a12.get("phones")).hasSize(1600);
        assertThat(a12.get("phones").get(0).asText()).isEqualTo(phones[0]);
        assertThat(a12.get("phones").get(1599).asText()).isEqualTo(phones[1599]);
        assertThat(a12.get("uac").asLong()).isEqualTo(512);
        assertThat(a12.get("advanced").asBoolean()).isTrue();
        assertThat(java.time.Instant.parse(a12.get("created").asText())).isBefore(java.time.Instant.now().plusSeconds(60));
        assertThat(a12.get("guid").asText()).isEqualTo(db.accounts(org.id).values().stream()
                .filter(r -> r.username().equals("org00012")).findFirst().orElseThrow().objectGuid().toString());
        String sid = SambaDc.ldifValue(dc1.ldapsearchBase(orgDn(12), "objectSid"), "objectSid");
        assertThat(a12.get("sid").asText()).startsWith("S-1-5-21-").isEqualTo(MappedAttributes.sid(Base64.getDecoder().decode(sid)));
        assertThat(Base64.getDecoder().decode(m.get("org00007").json().get("photo").asText())).hasSize(2048);
        assertThat(m.get("org00013").json().has("photo")).isFalse();
        assertThat(detail(first)).containsEntry("warningsTotal", 1L);
        assertThat(detail(first).get("warnings")).asString().contains("thumbnailPhoto is 10000 bytes, over the cap of 4096");
        // the chain and the cycle
        assertThat(m.get("org00031").managerId()).isEqualTo(db.accountId(org.id, "org00006"));
        assertThat(m.get("org00006").managerId()).isEqualTo(db.accountId(org.id, "org00001"));
        assertThat(m.get("org00001").managerId()).isEqualTo(db.accountId(org.id, "org00000"));
        assertThat(m.get("org00000").managerId()).isEqualTo(db.accountId(org.id, "org00031"));
        // out of scope: no link, the DN kept
        assertThat(m.get("org00039").managerId()).isNull();
        assertThat(m.get("org00039").json().get("manager").asText()).isEqualToIgnoringCase(dn("user00100"));
        assertThat(detail(first)).containsEntry("managerLinks", Map.of("linked", 39L, "refreshed", 0L));

        // a no-change resync writes no row, full or incremental
        Map<UUID, String> before = new java.util.HashMap<>();
        db.accounts(org.id).forEach((k, v) -> before.put(k, v.writeStamp()));
        RunResult full = orgSync(FULL);
        RunResult incremental = orgSync(RunOptions.DEFAULT);
        assertThat(full.stats()).isEqualTo(new RunStats(0, 0, 0, 0, 40, 0));
        assertThat(incremental.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(incremental.stats()).isEqualTo(RunStats.EMPTY);
        Map<UUID, String> after = new java.util.HashMap<>();
        db.accounts(org.id).forEach((k, v) -> after.put(k, v.writeStamp()));
        assertThat(after).isEqualTo(before);
    }

    @Test
    @Order(23)
    void aRenamedAndMovedManagerStaysLinkedAndAMappingChangeForcesAFullSync() throws Exception {
        UUID boss = db.accountId(org.id, "org00001");
        String moved = "CN=org-boss-renamed,OU=OrgMoved," + orgOu;
        dc1.ldapmodify("dn: " + orgDn(1) + "\nchangetype: modrdn\nnewrdn: CN=org-boss-renamed\ndeleteoldrdn: 1\n"
                + "newsuperior: OU=OrgMoved," + orgOu + "\n");
        // Samba, like AD, shows the reports' manager with the new DN without changing the reports
        assertThat(SambaDc.ldifValue(dc1.ldapsearchBase(orgDn(6), "manager"), "manager")).isEqualToIgnoringCase(moved);

        RunResult r = orgSync(RunOptions.DEFAULT);

        assertThat(r.failed()).as(r.errorMessage()).isFalse();
        assertThat(r.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(detail(r)).containsEntry("managerLinks", Map.of("linked", 0L, "refreshed", 5L));
        Map<String, EngineDb.Mapped> m = orgMapped();
        for (int i = 6; i <= 10; i++) {
            assertThat(m.get(String.format("org%05d", i)).managerId()).isEqualTo(boss);
            assertThat(m.get(String.format("org%05d", i)).json().get("manager").asText()).isEqualToIgnoringCase(moved);
        }
        // a full sync reads the same DNs from the directory: nothing more to write but the boss (already written)
        RunResult full = orgSync(FULL);
        assertThat(full.stats()).isEqualTo(new RunStats(0, 0, 0, 0, 40, 0));

        // a mapping change: the next run is full, says why, and fills the new mapping for every user
        db.mappings(org.id, ORG_MAPPINGS.replace("]", ",{\"source\":\"title\",\"target\":\"jobTitle\",\"type\":\"STRING\"}]"));
        RunResult remapped = orgSync(RunOptions.DEFAULT);
        assertThat(remapped.mode()).isEqualTo(SyncMode.FULL);
        assertThat(remapped.modeReason()).startsWith("the domain's attribute mappings were changed at ");
        assertThat(remapped.stats().updated()).isEqualTo(40);
        assertThat(orgMapped().get("org00000").json().get("jobTitle").asText()).isEqualTo("Head of Engineering");
    }
}
