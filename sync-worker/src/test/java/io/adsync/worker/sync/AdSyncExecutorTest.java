package io.adsync.worker.sync;

import io.adsync.crypto.SecretCipher;
import io.adsync.directory.AdAttributes;
import io.adsync.directory.DirectoryConnector;
import io.adsync.domain.Domain;
import io.adsync.domain.Security;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunOptions;
import io.adsync.run.RunProgress;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;
import io.adsync.worker.claim.WorkerSettings;
import io.adsync.worker.claim.Worker;
import io.adsync.worker.claim.WorkerMetrics;
import io.adsync.worker.run.LeaseLostException;
import io.adsync.worker.run.RunContext;
import io.adsync.worker.run.RunResult;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.adsync.worker.sync.InMemoryAd.User;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The sync engine against a real PostgreSQL and an AD-shaped in-memory LDAP server ({@link InMemoryAd}).
 * Runs are executed the way the worker does: a RUNNING run row with a lease owner, so the fence is real.
 */
@QuarkusTest
class AdSyncExecutorTest {

    static InMemoryAd ad;
    static int scopes;

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
    static void startAd() throws Exception {
        ad = new InMemoryAd();
    }

    @AfterAll
    static void stopAd() {
        ad.close();
    }

    @BeforeEach
    void setUp() {
        db = new EngineDb(ds, cipher);
        ad.faults().reset();
    }

    /** A domain over its own subtree of the in-memory AD, and a job for it. */
    final class Fixture {
        final String base;
        final String users;
        final String moved;
        final Domain domain;
        final UUID job;
        final List<User> created = new ArrayList<>();

        Fixture(String name, int pageSize, int maxDeactivations, int maxPercent) throws Exception {
            base = ad.scope(name + "-" + (++scopes));
            users = "OU=Users," + base;
            moved = "OU=Moved," + base;
            Domain d = TestDomains.plain(ad);
            d.name = name + "-" + scopes;
            d.baseDn = base;
            d.pageSize = pageSize;
            domain = db.insert(d, InMemoryAd.BIND_PASSWORD);
            job = db.job(domain.id, maxDeactivations, maxPercent);
        }

        Fixture(String name, int pageSize) throws Exception {
            this(name, pageSize, 500, 20);
        }

        User add(User u) throws Exception {
            ad.add(u);
            created.add(u);
            return u;
        }

        List<User> addUsers(String prefix, int n) throws Exception {
            List<User> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(add(User.simple(String.format("%s%04d", prefix, i), users)));
            }
            return list;
        }

        Synced sync() throws Exception {
            return sync(RunOptions.DEFAULT, executor);
        }

        Synced sync(RunOptions options, AdSyncExecutor with) throws Exception {
            RunContext ctx = db.claimedRun(job, options, List.of(domain.id));
            RunResult r = with.execute(ctx);
            db.endRun(ctx);
            return new Synced(ctx, r);
        }

        Map<UUID, EngineDb.AccountRow> accounts() throws SQLException {
            return db.accounts(domain.id);
        }
    }

    record Synced(RunContext ctx, RunResult result) {
        RunStats stats() {
            return result.stats();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> domain(int i) {
            return ((List<Map<String, Object>>) result.details().get("domains")).get(i);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void firstSyncReadsEveryPageAndMapsEveryAttribute() throws Exception {
        Fixture f = new Fixture("first", 100);
        f.addUsers("u", 246);
        Instant now = Instant.now();
        User d514 = f.add(User.simple("dis514", f.users).withUac(514));
        User d546 = f.add(User.simple("dis546", f.users).withUac(546));
        User d66050 = f.add(User.simple("dis66050", f.users).withUac(66050));
        User enabled66048 = f.add(User.simple("en66048", f.users).withUac(66048));
        User expired = f.add(User.simple("expired", f.users).withExpires(AdAttributes.toFileTime(now.minus(Duration.ofDays(3)))));
        User expiresLater = f.add(User.simple("later", f.users).withExpires(AdAttributes.toFileTime(now.plus(Duration.ofDays(30)))));
        User never = f.add(User.simple("never", f.users).withExpires(Long.MAX_VALUE));
        User zoe = f.add(new User(UUID.randomUUID(), "Zoë Ångström", f.users, "zoe.angstrom", "zoe.angstrom@corp.test",
                "zoë@corp.test", "Zoë Ångström", "Zoë", "Ångström", 512, null));
        User yamada = f.add(new User(UUID.randomUUID(), "山田太郎", f.users, "yamada.taro", "yamada.taro@corp.test",
                "yamada@corp.test", "山田太郎", "太郎", "山田", 512, 0L));
        User noMail = f.add(User.simple("nomail", f.users).withMail(null));
        ad.addComputer("PC001", f.users);
        ad.add(User.simple("outsider-" + f.base.hashCode(), InMemoryAd.OUTSIDE));
        int total = 256;

        Synced s = f.sync();

        assertThat(s.result().failed()).as(s.result().errorMessage()).isFalse();
        // the engine's own attributes, then the sources of the domain's mappings (here the defaults), nothing else
        assertThat(ad.faults().lastRequestedAttributes).containsExactlyElementsOf(java.util.stream.Stream.concat(
                AdAttributes.REQUESTED.stream(), io.adsync.domain.AttributeMapping.DEFAULTS.stream()
                        .map(io.adsync.domain.AttributeMapping::source)).toList());
        assertThat(s.stats()).isEqualTo(new RunStats(total, 0, 0, 0, 0, 0));
        assertThat(s.result().mode()).isEqualTo(SyncMode.FULL);
        assertThat(s.ctx().progress()).isEqualTo(new RunProgress(total, 3, f.domain.name));
        assertThat(s.domain(0)).containsEntry("state", "SUCCEEDED").containsEntry("pages", 3L)
                .containsEntry("entriesRead", (long) total).containsEntry("activeBefore", 0L).containsEntry("notFound", 0L)
                .containsEntry("server", "ldap://127.0.0.1:" + ad.ldapPort());

        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        assertThat(rows).hasSize(total);
        assertThat(rows.values().stream().filter(EngineDb.AccountRow::active).count()).isEqualTo(total - 4);
        for (User u : List.of(d514, d546, d66050)) {
            assertThat(rows.get(u.guid()).active()).as(u.sam()).isFalse();
            assertThat(rows.get(u.guid()).reason()).isEqualTo(AdUser.REASON_DISABLED);
            assertThat(rows.get(u.guid()).uac()).isEqualTo(u.uac());
        }
        assertThat(rows.get(enabled66048.guid()).active()).isTrue();
        assertThat(rows.get(expired.guid()).active()).isFalse();
        assertThat(rows.get(expired.guid()).reason()).startsWith(AdUser.REASON_EXPIRED_PREFIX);
        assertThat(rows.get(expired.guid()).accountExpires()).isEqualTo(expired.accountExpires());
        assertThat(rows.get(expiresLater.guid()).active()).isTrue();
        assertThat(rows.get(never.guid()).active()).isTrue();
        assertThat(rows.get(never.guid()).accountExpires()).isEqualTo(Long.MAX_VALUE);

        EngineDb.AccountRow z = rows.get(zoe.guid());
        assertThat(z.displayName()).isEqualTo("Zoë Ångström");
        assertThat(z.givenName()).isEqualTo("Zoë");
        assertThat(z.surname()).isEqualTo("Ångström");
        assertThat(z.email()).isEqualTo("zoë@corp.test");
        assertThat(z.dn()).isEqualTo("CN=Zoë Ångström," + f.users);
        assertThat(z.accountExpires()).isNull();
        assertThat(z.active()).isTrue();
        EngineDb.AccountRow y = rows.get(yamada.guid());
        assertThat(y.displayName()).isEqualTo("山田太郎");
        assertThat(y.givenName()).isEqualTo("太郎");
        assertThat(y.surname()).isEqualTo("山田");
        assertThat(y.dn()).isEqualTo("CN=山田太郎," + f.users);
        EngineDb.AccountRow m = rows.get(noMail.guid());
        assertThat(m.email()).isNull();
        assertThat(m.active()).isTrue();
        EngineDb.AccountRow u0 = rows.get(f.created.getFirst().guid());
        assertThat(u0.username()).isEqualTo("u0000");
        assertThat(u0.upn()).isEqualTo("u0000@corp.test");
        assertThat(u0.uac()).isEqualTo(512);
        assertThat(u0.reason()).isNull();
        assertThat(u0.version()).isZero();
        assertThat(rows.values()).noneMatch(r -> r.username().startsWith("PC0") || r.username().startsWith("outsider"));
    }

    @Test
    void batchesSmallerThanAPageCountExactly() throws Exception {
        Fixture f = new Fixture("batches", 25);
        f.addUsers("b", 60);
        AdSyncExecutor smallBatches = new AdSyncExecutor(ds, cipher, new DirectoryConnector(), 7, 0, Clock.systemUTC());
        Synced first = f.sync(RunOptions.DEFAULT, smallBatches);
        assertThat(first.stats()).isEqualTo(new RunStats(60, 0, 0, 0, 0, 0));
        ad.replace(f.created.get(3).dn(), "displayName", "Changed 3");
        ad.replace(f.created.get(30).dn(), "userAccountControl", "514");
        Synced second = f.sync(RunOptions.DEFAULT, smallBatches);
        assertThat(second.stats()).isEqualTo(new RunStats(0, 1, 1, 0, 58, 0));
        assertThat(second.domain(0)).containsEntry("pages", 3L);
    }

    @Test
    void anUnchangedResyncWritesNoRowAtAll() throws Exception {
        Fixture f = new Fixture("unchanged", 50);
        f.addUsers("s", 120);
        f.add(User.simple("disabled", f.users).withUac(546));
        assertThat(f.sync().stats().created()).isEqualTo(121);
        Map<UUID, String> before = stamps(f);

        Synced again = f.sync();

        assertThat(again.result().failed()).isFalse();
        assertThat(again.stats()).isEqualTo(new RunStats(0, 0, 0, 0, 121, 0));
        // xmin changes when a row is rewritten, xmax when it is even only locked (as ON CONFLICT DO UPDATE does
        // with rows its WHERE declines): neither moved, so not a single row was written or locked.
        assertThat(stamps(f)).isEqualTo(before);

        ad.replace(f.created.get(7).dn(), "mail", "new.mail@corp.test");
        Synced third = f.sync();
        assertThat(third.stats()).isEqualTo(new RunStats(0, 1, 0, 0, 120, 0));
        Map<UUID, String> after = stamps(f);
        List<UUID> rewritten = before.keySet().stream().filter(g -> !before.get(g).equals(after.get(g))).toList();
        assertThat(rewritten).containsExactly(f.created.get(7).guid());
        EngineDb.AccountRow row = f.accounts().get(f.created.get(7).guid());
        assertThat(row.email()).isEqualTo("new.mail@corp.test");
        assertThat(row.version()).isEqualTo(1);
        assertThat(row.updatedAt()).isAfter(row.createdAt());
        assertThat(row.lastSyncedAt()).isEqualTo(row.updatedAt());
    }

    @Test
    void renameAndMoveKeepTheSameAccount() throws Exception {
        Fixture f = new Fixture("rename", 100);
        List<User> users = f.addUsers("r", 10);
        f.sync();
        Map<UUID, EngineDb.AccountRow> before = f.accounts();
        User renamed = users.get(1);
        User moved = users.get(2);
        ad.moveOrRename(renamed.dn(), "CN=renamed.person", null);
        ad.replace("CN=renamed.person," + f.users, "sAMAccountName", "renamed.person");
        ad.replace("CN=renamed.person," + f.users, "userPrincipalName", "renamed.person@corp.test");
        ad.moveOrRename(moved.dn(), "CN=" + moved.cn(), f.moved);

        Synced s = f.sync();

        assertThat(s.stats()).isEqualTo(new RunStats(0, 2, 0, 0, 8, 0));
        Map<UUID, EngineDb.AccountRow> after = f.accounts();
        assertThat(after).hasSize(10);
        EngineDb.AccountRow r = after.get(renamed.guid());
        assertThat(r.id()).isEqualTo(before.get(renamed.guid()).id());
        assertThat(r.username()).isEqualTo("renamed.person");
        assertThat(r.upn()).isEqualTo("renamed.person@corp.test");
        assertThat(r.dn()).isEqualTo("CN=renamed.person," + f.users);
        EngineDb.AccountRow m = after.get(moved.guid());
        assertThat(m.id()).isEqualTo(before.get(moved.guid()).id());
        assertThat(m.dn()).isEqualTo("CN=" + moved.cn() + "," + f.moved);
        assertThat(m.username()).isEqualTo(moved.sam());
        assertThat(m.active()).isTrue();
    }

    @Test
    void goneFromTheDirectoryIsDeactivatedAndComingBackReactivates() throws Exception {
        Fixture f = new Fixture("lifecycle", 100);
        f.domain.userFilter = "(&(objectClass=user)(objectCategory=person)(!(description=nosync)))";
        db.updateDomain(f.domain.id, "user_filter", f.domain.userFilter);
        List<User> users = f.addUsers("l", 30);
        User disabledAtStart = f.add(User.simple("wasdisabled", f.users).withUac(514));
        f.sync();
        User deleted = users.get(0);
        User movedOut = users.get(1);
        User filteredOut = users.get(2);
        User disabledNow = users.get(3);
        User expiredNow = users.get(4);
        ad.delete(deleted.dn());
        ad.moveOrRename(movedOut.dn(), "CN=" + movedOut.cn(), InMemoryAd.OUTSIDE);
        ad.replace(filteredOut.dn(), "description", "nosync");
        ad.replace(disabledNow.dn(), "userAccountControl", "66050");
        ad.replace(expiredNow.dn(), "accountExpires", Long.toString(AdAttributes.toFileTime(Instant.now().minusSeconds(60))));

        Synced gone = f.sync();

        assertThat(gone.result().failed()).as(gone.result().errorMessage()).isFalse();
        assertThat(gone.stats()).isEqualTo(new RunStats(0, 0, 5, 0, 26, 0));
        assertThat(gone.domain(0)).containsEntry("notFound", 3L).containsEntry("activeBefore", 30L)
                .containsEntry("deactivationThreshold", 6L);
        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        assertThat(rows).hasSize(31); // never deleted
        for (User u : List.of(deleted, movedOut, filteredOut)) {
            assertThat(rows.get(u.guid()).active()).as(u.sam()).isFalse();
            assertThat(rows.get(u.guid()).reason()).isEqualTo(DomainSync.REASON_NOT_FOUND);
            assertThat(rows.get(u.guid()).version()).isEqualTo(1);
        }
        assertThat(rows.get(disabledNow.guid()).reason()).isEqualTo(AdUser.REASON_DISABLED);
        assertThat(rows.get(expiredNow.guid()).reason()).startsWith(AdUser.REASON_EXPIRED_PREFIX);
        // already inactive accounts are not rewritten by the next run
        assertThat(f.sync().stats()).isEqualTo(new RunStats(0, 0, 0, 0, 28, 0));

        // back: moved back, matching the filter again, re-enabled, no longer expired
        ad.moveOrRename("CN=" + movedOut.cn() + "," + InMemoryAd.OUTSIDE, "CN=" + movedOut.cn(), f.moved);
        ad.remove(filteredOut.dn(), "description");
        ad.replace(disabledNow.dn(), "userAccountControl", "512");
        ad.replace(disabledAtStart.dn(), "userAccountControl", "512");
        ad.replace(expiredNow.dn(), "accountExpires", "9223372036854775807");
        // re-created under the same name but as a new object: a new account, the old one stays deactivated
        User recreated = f.add(new User(UUID.randomUUID(), "l0000-new", f.users, deleted.sam(), deleted.upn(),
                deleted.mail(), deleted.displayName(), deleted.givenName(), deleted.sn(), 512, 0L));

        Synced back = f.sync();

        assertThat(back.stats()).isEqualTo(new RunStats(1, 0, 0, 5, 25, 0));
        rows = f.accounts();
        for (User u : List.of(movedOut, filteredOut, disabledNow, disabledAtStart, expiredNow)) {
            assertThat(rows.get(u.guid()).active()).as(u.sam()).isTrue();
            assertThat(rows.get(u.guid()).reason()).isNull();
        }
        assertThat(rows.get(movedOut.guid()).dn()).isEqualTo("CN=" + movedOut.cn() + "," + f.moved);
        assertThat(rows.get(recreated.guid()).active()).isTrue();
        assertThat(rows.get(recreated.guid()).id()).isNotEqualTo(rows.get(deleted.guid()).id());
        assertThat(rows.get(deleted.guid()).active()).isFalse();
        assertThat(rows).hasSize(32);

        ad.add(deleted); // restored from the recycle bin: the same objectGUID comes back
        Synced restored = f.sync();
        assertThat(restored.stats().reactivated()).isEqualTo(1);
        assertThat(f.accounts().get(deleted.guid()).active()).isTrue();
        assertThat(f.accounts().get(deleted.guid()).reason()).isNull();
    }

    @Test
    void deletionGuardTripsAppliesOtherChangesAndIsOverriddenOnRequest() throws Exception {
        Fixture f = new Fixture("guard", 100, 500, 20); // 20 active accounts: at most 4 may go
        List<User> users = f.addUsers("g", 20);
        f.sync();
        for (int i = 0; i < 5; i++) {
            ad.delete(users.get(i).dn());
        }
        ad.replace(users.get(10).dn(), "displayName", "Renamed Ten");
        f.add(User.simple("newcomer", f.users));

        Synced tripped = f.sync();

        assertThat(tripped.result().errorCategory()).isEqualTo(ErrorCategory.DELETION_THRESHOLD);
        assertThat(tripped.result().errorMessage()).contains("5 active accounts were not found")
                .contains("(4 = min(maxDeactivations 500, 20% of 20 active accounts))").contains("nothing was deactivated");
        assertThat(tripped.stats()).isEqualTo(new RunStats(1, 1, 0, 0, 14, 0));
        assertThat(tripped.domain(0)).containsEntry("state", "FAILED").containsEntry("category", "DELETION_THRESHOLD")
                .containsEntry("notFound", 5L).containsEntry("deactivationThreshold", 4L);
        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        assertThat(rows.values()).allMatch(EngineDb.AccountRow::active);
        assertThat(rows.get(users.get(10).guid()).displayName()).isEqualTo("Renamed Ten");
        assertThat(rows).hasSize(21);

        Synced overridden = f.sync(new RunOptions(null, true), executor);

        assertThat(overridden.result().failed()).isFalse();
        assertThat(overridden.stats()).isEqualTo(new RunStats(0, 0, 5, 0, 16, 0));
        assertThat(f.accounts().values().stream().filter(r -> !r.active()).map(EngineDb.AccountRow::username)
                .collect(Collectors.toSet())).containsExactlyInAnyOrder("g0000", "g0001", "g0002", "g0003", "g0004");
    }

    @Test
    void deactivatingExactlyTheThresholdIsAllowed() throws Exception {
        Fixture f = new Fixture("atlimit", 100, 3, 100); // maxDeactivations 3 is the smaller limit
        List<User> users = f.addUsers("t", 10);
        f.sync();
        for (int i = 0; i < 3; i++) {
            ad.delete(users.get(i).dn());
        }
        Synced s = f.sync();
        assertThat(s.result().failed()).isFalse();
        assertThat(s.stats().deactivated()).isEqualTo(3);
    }

    @Test
    void aPageErrorDeactivatesNothing() throws Exception {
        Fixture f = new Fixture("pagefail", 50);
        List<User> users = f.addUsers("p", 150);
        f.sync();
        for (int i = 140; i < 150; i++) {
            ad.delete(users.get(i).dn());
        }
        for (int i = 0; i < 140; i++) {
            ad.replace(users.get(i).dn(), "displayName", "New " + i);
        }
        ad.faults().resetCounters();
        ad.faults().failPage = 2;
        ad.faults().failCode = com.unboundid.ldap.sdk.ResultCode.ADMIN_LIMIT_EXCEEDED;

        Synced s = f.sync();

        assertThat(s.result().errorCategory()).isEqualTo(ErrorCategory.PROTOCOL);
        assertThat(s.result().errorMessage()).contains("page 2").contains("injected failure");
        assertThat(s.stats()).isEqualTo(new RunStats(0, 50, 0, 0, 0, 0)); // page 1 was applied
        assertThat(s.domain(0)).doesNotContainKey("notFound");
        assertThat(f.accounts().values()).allMatch(EngineDb.AccountRow::active);

        ad.faults().reset();
        Synced rerun = f.sync();
        assertThat(rerun.stats()).isEqualTo(new RunStats(0, 90, 10, 0, 50, 0));
    }

    /**
     * The partial-read rule on its own: the failed last page hides only 4 of 104 accounts, well under the deletion
     * guard's threshold (20), so only the rule "no deactivation after an incomplete read" keeps them active.
     */
    @Test
    void aFailedLastPageHidingFewerAccountsThanTheGuardAllowsDeactivatesNothing() throws Exception {
        Fixture f = new Fixture("fewhidden", 50, 500, 20);
        f.addUsers("h", 104);
        assertThat(f.sync().stats().created()).isEqualTo(104);
        ad.faults().resetCounters();
        ad.faults().failPage = 3; // pages of 50: page 3 holds the last 4 users
        ad.faults().failCode = com.unboundid.ldap.sdk.ResultCode.UNAVAILABLE;

        Synced s = f.sync();

        assertThat(s.result().errorCategory()).as(s.result().errorMessage()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(s.result().errorMessage()).contains("page 3");
        assertThat(s.domain(0)).containsEntry("deactivationThreshold", 20L).doesNotContainKey("notFound");
        assertThat(s.stats().deactivated()).isZero();
        assertThat(f.accounts().values()).hasSize(104).allMatch(EngineDb.AccountRow::active);
    }

    @Test
    void aConnectionLostMidPageDeactivatesNothingAndARerunSucceeds() throws Exception {
        Fixture f = new Fixture("dropped", 50);
        List<User> users = f.addUsers("d", 150);
        f.sync();
        for (int i = 0; i < 20; i++) {
            ad.delete(users.get(i).dn());
        }
        ad.faults().resetCounters();
        ad.faults().dropAfterEntries = 70; // in the middle of page 2

        Synced s = f.sync();

        assertThat(s.result().errorCategory()).as(s.result().errorMessage()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(f.accounts().values()).allMatch(EngineDb.AccountRow::active);
        assertThat(s.stats().deactivated()).isZero();

        ad.faults().reset();
        Synced rerun = f.sync();
        assertThat(rerun.result().failed()).isFalse();
        assertThat(rerun.stats().deactivated()).isEqualTo(20);
    }

    @Test
    void aDirectoryStoppedMidRunDeactivatesNothing() throws Exception {
        try (InMemoryAd own = new InMemoryAd()) {
            String base = own.scope("stopped");
            List<User> users = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                User u = User.simple("st" + i, "OU=Users," + base);
                own.add(u);
                users.add(u);
            }
            Domain d = TestDomains.plain(own);
            d.baseDn = base;
            d.pageSize = 40;
            db.insert(d, InMemoryAd.BIND_PASSWORD);
            UUID job = db.job(d.id, 500, 50);
            RunContext first = db.claimedRun(job, RunOptions.DEFAULT, List.of(d.id));
            assertThat(executor.execute(first).failed()).isFalse();
            db.endRun(first);
            for (int i = 0; i < 10; i++) {
                own.delete(users.get(i).dn());
            }
            own.faults().resetCounters();
            own.faults().onPage = n -> {
                if (n == 2) {
                    own.stop();
                }
            };
            RunContext ctx = db.claimedRun(job, RunOptions.DEFAULT, List.of(d.id));
            RunResult r = executor.execute(ctx);
            db.endRun(ctx);
            assertThat(r.errorCategory()).as(r.errorMessage()).isEqualTo(ErrorCategory.UNREACHABLE);
            assertThat(db.accounts(d.id).values()).allMatch(EngineDb.AccountRow::active);

            own.faults().reset();
            own.start();
            RunContext again = db.claimedRun(job, RunOptions.DEFAULT, List.of(d.id));
            RunResult ok = executor.execute(again);
            db.endRun(again);
            assertThat(ok.failed()).as(ok.errorMessage()).isFalse();
            assertThat(ok.stats().deactivated()).isEqualTo(10);
        }
    }

    @Test
    void aReadTimeoutDeactivatesNothing() throws Exception {
        Fixture f = new Fixture("slow", 50);
        List<User> users = f.addUsers("w", 120);
        f.sync();
        ad.delete(users.get(119).dn());
        db.updateDomain(f.domain.id, "read_timeout_seconds", 1);
        ad.faults().resetCounters();
        ad.faults().delayPage = 2;
        ad.faults().delayMs = 2500;

        long t0 = System.nanoTime();
        Synced s = f.sync();

        assertThat(s.result().errorCategory()).as(s.result().errorMessage()).isEqualTo(ErrorCategory.TIMEOUT);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2400);
        assertThat(f.accounts().values()).allMatch(EngineDb.AccountRow::active);
    }

    @Test
    void aCancelledRunStopsBetweenPagesAndDeactivatesNothing() throws Exception {
        Fixture f = new Fixture("cancel", 30);
        List<User> users = f.addUsers("c", 100);
        f.sync();
        ad.delete(users.get(99).dn());
        for (int i = 0; i < 99; i++) {
            ad.replace(users.get(i).dn(), "givenName", "G" + i);
        }
        RunContext ctx = db.claimedRun(f.job, RunOptions.DEFAULT, List.of(f.domain.id));
        ad.faults().resetCounters();
        ad.faults().onPage = n -> {
            if (n == 2) {
                ctx.cancel("cancelled by user");
            }
        };
        RunResult r = executor.execute(ctx);
        db.endRun(ctx);

        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.CANCELLED);
        assertThat(r.errorMessage()).isEqualTo("cancelled by user");
        // Writes run behind the reads: page 1's batch may or may not have passed its fence before the cancel (a
        // fence fails once the run is cancelled), page 2 and later never do. Whatever was written is whole batches,
        // and the stats say exactly what the database holds.
        long renamed = f.accounts().values().stream().filter(a -> a.givenName() != null && a.givenName().matches("G\\d+")).count();
        assertThat(r.stats().updated()).isIn(0L, 30L).isEqualTo(renamed);
        assertThat(f.accounts().values()).allMatch(EngineDb.AccountRow::active);
    }

    @Test
    void aWrongPasswordIsAuthAndIsNeverRecorded() throws Exception {
        Fixture f = new Fixture("auth", 100);
        f.addUsers("a", 3);
        String wrong = "Not-The-Password-" + UUID.randomUUID();
        db.execute("UPDATE ad_domain SET bind_password_enc = decode('" + java.util.HexFormat.of()
                .formatHex(cipher.encrypt(wrong, f.domain.id)) + "', 'hex') WHERE id = '" + f.domain.id + "'");

        Synced s = f.sync();

        assertThat(s.result().errorCategory()).isEqualTo(ErrorCategory.AUTH);
        assertThat(s.result().errorMessage()).contains("invalidCredentials (49)").doesNotContain(wrong);
        assertThat(io.adsync.run.ledger.RunLedger.json(s.result().details())).doesNotContain(wrong);
        assertThat(f.accounts()).isEmpty();
    }

    @Test
    void allHostsDeadIsUnreachable() throws Exception {
        Fixture f = new Fixture("dead", 100);
        db.updateDomain(f.domain.id, "hosts", List.of("127.0.0.99", "127.0.0.1:" + InMemoryAd.freePort()));

        Synced s = f.sync();

        assertThat(s.result().errorCategory()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(s.result().errorMessage()).contains("all 2 domain controllers failed").contains("127.0.0.99");
    }

    @Test
    void failsOverPastADeadFirstHost() throws Exception {
        Fixture f = new Fixture("failover", 100);
        f.addUsers("f", 5);
        db.updateDomain(f.domain.id, "hosts", List.of("127.0.0.99", "127.0.0.1"));

        Synced s = f.sync();

        assertThat(s.result().failed()).as(s.result().errorMessage()).isFalse();
        assertThat(s.stats().created()).isEqualTo(5);
        assertThat(s.domain(0)).containsEntry("server", "ldap://127.0.0.1:" + ad.ldapPort());
    }

    @Test
    void syncsOverLdapsWithTheDomainCa() throws Exception {
        Fixture f = new Fixture("ldaps", 100);
        f.addUsers("t", 5);
        db.updateDomain(f.domain.id, "security", Security.LDAPS.name());
        db.updateDomain(f.domain.id, "port", ad.ldapsPort());
        db.updateDomain(f.domain.id, "ca_certificate_pem", InMemoryAd.resource("tls/ca.pem"));

        Synced s = f.sync();

        assertThat(s.result().failed()).as(s.result().errorMessage()).isFalse();
        assertThat(s.stats().created()).isEqualTo(5);
        assertThat(s.domain(0)).containsEntry("server", "ldaps://127.0.0.1:" + ad.ldapsPort());
    }

    @Test
    void twoDomainsOneFailingFailsTheRunButSyncsTheOther() throws Exception {
        Fixture good = new Fixture("all-good", 100);
        good.addUsers("x", 7);
        Fixture bad = new Fixture("all-bad", 100);
        db.updateDomain(bad.domain.id, "hosts", List.of("127.0.0.99"));
        UUID job = db.job(null, 500, 20);
        RunContext ctx = db.claimedRun(job, RunOptions.DEFAULT, List.of(bad.domain.id, good.domain.id));

        RunResult r = executor.execute(ctx);

        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(r.errorMessage()).startsWith("1 of 2 domains failed: " + bad.domain.name + ": UNREACHABLE");
        assertThat(r.stats()).isEqualTo(new RunStats(7, 0, 0, 0, 0, 0));
        Synced s = new Synced(ctx, r);
        assertThat(s.domain(0)).containsEntry("name", bad.domain.name).containsEntry("state", "FAILED")
                .containsEntry("category", "UNREACHABLE");
        assertThat(s.domain(1)).containsEntry("name", good.domain.name).containsEntry("state", "SUCCEEDED")
                .containsEntry("stats", new RunStats(7, 0, 0, 0, 0, 0));
        assertThat(good.accounts()).hasSize(7);
        assertThat(ctx.progress().entriesRead()).isEqualTo(7);
    }

    @Test
    void entriesThatCannotBeStoredAreCountedAndTheirAccountsKept() throws Exception {
        Fixture f = new Fixture("invalid", 100);
        List<User> users = f.addUsers("i", 4);
        f.sync();
        ad.replace(users.get(0).dn(), "accountExpires", "not-a-number");
        ad.server().add("CN=no-guid," + f.users, List.of(
                new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "user"),
                new com.unboundid.ldap.sdk.Attribute("objectCategory", "person"),
                new com.unboundid.ldap.sdk.Attribute("sAMAccountName", "no-guid")));

        Synced s = f.sync();

        assertThat(s.result().failed()).isFalse();
        assertThat(s.stats()).isEqualTo(new RunStats(0, 0, 0, 0, 3, 2));
        assertThat(s.domain(0).get("invalidEntries").toString()).contains("CN=no-guid").contains("non-numeric");
        assertThat(f.accounts().get(users.get(0).guid()).active()).isTrue(); // seen, so not deactivated
    }

    @Test
    void aDatabaseFailureIsDbAndDeactivatesNothing() throws Exception {
        Fixture f = new Fixture("dbfail", 25);
        List<User> users = f.addUsers("q", 60);
        f.sync();
        ad.delete(users.get(59).dn());
        ad.replace(users.get(30).dn(), "displayName", "Poison");
        db.execute("""
                CREATE OR REPLACE FUNCTION adsync_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'injected failure for %', NEW.username; END $$""");
        db.execute("CREATE TRIGGER adsync_test_fail BEFORE UPDATE ON account FOR EACH ROW "
                + "WHEN (NEW.display_name = 'Poison') EXECUTE FUNCTION adsync_test_fail()");
        try {
            Synced s = f.sync();

            assertThat(s.result().errorCategory()).isEqualTo(ErrorCategory.DB);
            assertThat(s.result().errorMessage()).contains("injected failure for q0030");
            assertThat(f.accounts().values()).allMatch(EngineDb.AccountRow::active);
        } finally {
            db.execute("DROP TRIGGER adsync_test_fail ON account");
        }
        assertThat(f.sync().stats()).isEqualTo(new RunStats(0, 1, 1, 0, 58, 0));
    }

    @Test
    void searchContinuationReferencesAreIgnored() throws Exception {
        // AD answers a subtree search from the domain root with continuation references to other partitions
        // (DomainDnsZones, Configuration, ...): they are not users and are not followed
        Fixture f = new Fixture("referrals", 100);
        f.addUsers("ref", 3);
        ad.server().add("OU=Elsewhere," + f.base, List.of(
                new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "referral", "extensibleObject"),
                new com.unboundid.ldap.sdk.Attribute("ref", "ldap://other.corp.test/OU=Elsewhere,DC=other,DC=test")));
        ad.faults().resetCounters();

        Synced s = f.sync();

        assertThat(ad.faults().referencesSent.get()).isEqualTo(1);
        assertThat(s.result().failed()).as(s.result().errorMessage()).isFalse();
        assertThat(s.stats()).isEqualTo(new RunStats(3, 0, 0, 0, 0, 0));
        assertThat(s.domain(0)).containsEntry("entriesRead", 3L);
    }

    @Test
    void aLostLeaseStopsTheRunWithoutWriting() throws Exception {
        Fixture f = new Fixture("lease", 100);
        f.addUsers("z", 3);
        RunContext ctx = db.claimedRun(f.job, RunOptions.DEFAULT, List.of(f.domain.id));
        db.execute("UPDATE job_run SET lease_owner = gen_random_uuid() WHERE id = '" + ctx.run().runId() + "'");

        assertThatThrownBy(() -> executor.execute(ctx)).isInstanceOf(LeaseLostException.class);
        assertThat(f.accounts()).isEmpty();
    }

    // --- through the real worker: claim, domain leases, fenced outcome --------------------------------------

    @Test
    void throughTheWorkerSyncAllDomainsWithOneFailingAndTheDeletionGuard() throws Exception {
        db.execute("TRUNCATE account, domain_lease, job_run, sync_job, ad_domain, job_server CASCADE");
        Fixture good = new Fixture("w-good", 100);
        List<User> users = good.addUsers("w", 10);
        Fixture wrongCa = new Fixture("w-tls", 100);
        db.updateDomain(wrongCa.domain.id, "security", Security.LDAPS.name());
        db.updateDomain(wrongCa.domain.id, "port", ad.ldapsPort());
        db.updateDomain(wrongCa.domain.id, "ca_certificate_pem", InMemoryAd.resource("tls/other-ca.pem"));
        UUID all = db.job(null, 500, 20);

        Worker worker = new Worker(ds, null, workerConfig.toSettings("engine-test"), executor, new WorkerMetrics(meters),
                "test");
        worker.start();
        try {
            UUID run1 = db.queueRun(all, RunOptions.DEFAULT);
            EngineDb.RunRow r1 = awaitEnd(worker, run1);
            assertThat(r1.state()).isEqualTo("FAILED");
            assertThat(r1.errorCategory()).isEqualTo("TLS");
            assertThat(r1.errorMessage()).startsWith("1 of 2 domains failed: " + wrongCa.domain.name + ": TLS");
            assertThat(r1.details()).contains("\"state\": \"SUCCEEDED\"").contains("\"state\": \"FAILED\"")
                    .contains(good.domain.name).contains(wrongCa.domain.name);
            assertThat(r1.stats()).contains("\"created\": 10");
            assertThat(r1.mode()).isEqualTo("FULL");
            assertThat(good.accounts()).hasSize(10);

            // the deletion guard of the good domain's own job: 3 of 10 gone > min(500, 20% of 10 = 2)
            for (int i = 0; i < 3; i++) {
                ad.delete(users.get(i).dn());
            }
            UUID run2 = db.queueRun(good.job, RunOptions.DEFAULT);
            EngineDb.RunRow r2 = awaitEnd(worker, run2);
            assertThat(r2.state()).isEqualTo("FAILED");
            assertThat(r2.errorCategory()).isEqualTo("DELETION_THRESHOLD");
            assertThat(r2.errorMessage()).contains("3 active accounts were not found");
            assertThat(good.accounts().values()).allMatch(EngineDb.AccountRow::active);

            UUID run3 = db.queueRun(good.job, new RunOptions(null, true));
            EngineDb.RunRow r3 = awaitEnd(worker, run3);
            assertThat(r3.state()).isEqualTo("SUCCEEDED");
            assertThat(r3.stats()).contains("\"deactivated\": 3");
            assertThat(r3.progress()).contains("\"entriesRead\": 7");
            assertThat(good.accounts().values().stream().filter(a -> !a.active()).count()).isEqualTo(3);
        } finally {
            worker.stop();
        }
    }

    private EngineDb.RunRow awaitEnd(Worker worker, UUID runId) {
        worker.wakeUp();
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> db.run(runId).orElseThrow(), r -> !r.state().equals("QUEUED") && !r.state().equals("RUNNING"));
    }

    private Map<UUID, String> stamps(Fixture f) throws SQLException {
        return f.accounts().values().stream().collect(Collectors.toMap(EngineDb.AccountRow::objectGuid,
                EngineDb.AccountRow::writeStamp));
    }
}
