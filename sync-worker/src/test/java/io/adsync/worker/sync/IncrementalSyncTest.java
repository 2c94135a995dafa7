package io.adsync.worker.sync;

import io.adsync.crypto.SecretCipher;
import io.adsync.domain.Domain;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.adsync.worker.sync.InMemoryAd.User;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Incremental sync against an in-memory directory in AD mode ({@link InMemoryAd#InMemoryAd(boolean)}: uSNChanged,
 * highestCommittedUSN, an invocationId, tombstones behind the Show Deleted control), with a real PostgreSQL.
 * The same against Samba: {@link SambaAdIT}.
 */
@QuarkusTest
class IncrementalSyncTest {

    static final String FILTER = "(&(objectClass=user)(objectCategory=person)(!(description=nosync)))";

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
        ad = new InMemoryAd(true);
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

    /** A domain over its own subtree, and a job for it. */
    final class Fixture {
        final String users;
        final String moved;
        final Domain domain;
        final UUID job;

        Fixture(String name, int maxDeactivations, int maxPercent) throws Exception {
            this(name, maxDeactivations, maxPercent, false);
        }

        /** @param oddBaseDn the domain's base DN as someone might type it: lower case, a space after each comma */
        Fixture(String name, int maxDeactivations, int maxPercent, boolean oddBaseDn) throws Exception {
            String base = ad.scope(name + "-" + (++scopes));
            users = "OU=Users," + base;
            moved = "OU=Moved," + base;
            Domain d = TestDomains.plain(ad);
            d.name = name + "-" + scopes;
            d.baseDn = oddBaseDn ? base.toLowerCase(java.util.Locale.ROOT).replace(",", ", ") : base;
            d.userFilter = FILTER;
            d.pageSize = 20;
            domain = db.insert(d, InMemoryAd.BIND_PASSWORD);
            job = db.job(domain.id, maxDeactivations, maxPercent);
        }

        List<User> addUsers(String prefix, int n) throws Exception {
            List<User> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                User u = User.simple(String.format("%s%03d", prefix, i), users);
                ad.add(u);
                list.add(u);
            }
            return list;
        }

        Synced sync(RunOptions options) throws Exception {
            RunContext ctx = db.claimedRun(job, options, List.of(domain.id));
            RunResult r = executor.execute(ctx);
            db.endRun(ctx);
            return new Synced(ctx, r);
        }

        Synced sync() throws Exception {
            return sync(RunOptions.DEFAULT);
        }

        Map<UUID, EngineDb.AccountRow> accounts() throws SQLException {
            return db.accounts(domain.id);
        }

        Watermark watermark() throws SQLException {
            return db.watermarks(domain.id).get("127.0.0.1");
        }
    }

    record Synced(RunContext ctx, RunResult result) {
        RunStats stats() {
            return result.stats();
        }

        long entriesRead() {
            return ctx.progress().entriesRead();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> domain() {
            return ((List<Map<String, Object>>) result.details().get("domains")).getFirst();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aFullSyncFirstThenExactlyWhatChangedIncludingDeletionsAndMovesOutOfScopeAndBack() throws Exception {
        Fixture f = new Fixture("incr", 500, 50);
        List<User> u = f.addUsers("i", 30);
        long usnBefore = ad.usn();

        Synced first = f.sync();

        assertThat(first.result().failed()).as(first.result().errorMessage()).isFalse();
        assertThat(first.result().mode()).isEqualTo(SyncMode.FULL);
        assertThat(first.result().modeReason()).isEqualTo("no watermark yet: the first sync of this domain is full");
        assertThat(first.stats()).isEqualTo(new RunStats(30, 0, 0, 0, 0, 0));
        Watermark w1 = f.watermark();
        assertThat(w1.highestUsn()).isEqualTo(usnBefore);
        assertThat(w1.invocationId()).isEqualTo(ad.invocationId());
        assertThat(w1.serverName()).isEqualTo(InMemoryAd.NTDS_SETTINGS);
        assertThat(w1.lastFullSyncAt()).isNotNull();
        assertThat(first.domain()).containsEntry("mode", "FULL").containsKey("watermark");

        User added = User.simple("i-new", f.users);
        ad.add(added);                                                            // created
        ad.replace(u.get(0).dn(), "displayName", "Changed Zero");                 // updated
        ad.replace(u.get(1).dn(), "userAccountControl", "514");                   // deactivated (disabled)
        ad.moveOrRename(u.get(2).dn(), "CN=renamed-two", null);                   // updated (renamed)
        ad.replace("CN=renamed-two," + f.users, "sAMAccountName", "renamed-two");
        ad.moveOrRename(u.get(3).dn(), "CN=" + u.get(3).cn(), f.moved);           // updated (moved within the scope)
        ad.delete(u.get(4).dn());                                                 // deactivated (tombstone)
        ad.moveOrRename(u.get(5).dn(), "CN=" + u.get(5).cn(), InMemoryAd.OUTSIDE); // deactivated (out of the base DN)
        ad.replace(u.get(6).dn(), "description", "nosync");                       // deactivated (filter no longer matches)
        long usnBeforeSecond = ad.usn();

        Synced second = f.sync();

        assertThat(second.result().failed()).as(second.result().errorMessage()).isFalse();
        assertThat(second.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(second.result().modeReason()).startsWith("changes since USN " + usnBefore + " on 127.0.0.1");
        assertThat(second.stats()).isEqualTo(new RunStats(1, 3, 4, 0, 0, 0));
        // the range scan: 7 changed live users (the 5 still in scope + the 2 that left it) and 1 tombstone; the lookup
        // by objectGUID of the 6 under the base DN (+ the one moved out, an active account): the 5 in scope
        assertThat(second.entriesRead()).isEqualTo(13);
        assertThat(second.domain().get("reads")).isEqualTo(Map.of("changes", 8L, "tombstones", 1L, "inScope", 5L));
        assertThat(second.domain()).containsEntry("mode", "INCREMENTAL").containsEntry("deleted", 1L)
                .containsEntry("outOfScope", 2L).containsEntry("notFound", 3L).containsEntry("activeBefore", 30L);
        assertThat(ad.faults().showDeletedSearches.get()).isPositive();
        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        assertThat(rows).hasSize(31);
        assertThat(rows.get(added.guid()).active()).isTrue();
        assertThat(rows.get(u.get(0).guid()).displayName()).isEqualTo("Changed Zero");
        assertThat(rows.get(u.get(1).guid()).reason()).isEqualTo(AdUser.REASON_DISABLED);
        assertThat(rows.get(u.get(2).guid()).username()).isEqualTo("renamed-two");
        assertThat(rows.get(u.get(2).guid()).dn()).isEqualTo("CN=renamed-two," + f.users);
        assertThat(rows.get(u.get(3).guid()).dn()).isEqualTo("CN=" + u.get(3).cn() + "," + f.moved);
        assertThat(rows.get(u.get(4).guid()).reason()).isEqualTo(DomainSync.REASON_DELETED);
        assertThat(rows.get(u.get(5).guid()).reason()).isEqualTo(DomainSync.REASON_OUT_OF_SCOPE);
        assertThat(rows.get(u.get(6).guid()).reason()).isEqualTo(DomainSync.REASON_OUT_OF_SCOPE);
        for (int i = 1; i <= 6; i++) {
            if (i != 2 && i != 3) {
                assertThat(rows.get(u.get(i).guid()).active()).as("user %d", i).isFalse();
            }
        }
        assertThat(rows.values().stream().filter(EngineDb.AccountRow::active).count()).isEqualTo(27);
        Watermark w2 = f.watermark();
        assertThat(w2.highestUsn()).isEqualTo(usnBeforeSecond);
        assertThat(w2.lastFullSyncAt()).isEqualTo(w1.lastFullSyncAt()); // only a full sync moves it

        // back into the scope, matching the filter again, enabled again
        ad.moveOrRename("CN=" + u.get(5).cn() + "," + InMemoryAd.OUTSIDE, "CN=" + u.get(5).cn(), f.users);
        ad.remove(u.get(6).dn(), "description");
        ad.replace(u.get(1).dn(), "userAccountControl", "512");

        Synced third = f.sync();

        assertThat(third.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(third.stats()).isEqualTo(new RunStats(0, 0, 0, 3, 0, 0));
        assertThat(third.entriesRead()).isEqualTo(3 + 3);
        rows = f.accounts();
        for (int i : new int[] {1, 5, 6}) {
            assertThat(rows.get(u.get(i).guid()).active()).as("user %d", i).isTrue();
            assertThat(rows.get(u.get(i).guid()).reason()).isNull();
        }

        // nothing changed: nothing read, nothing written
        Synced quiet = f.sync();
        assertThat(quiet.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(quiet.stats()).isEqualTo(RunStats.EMPTY);
        assertThat(quiet.entriesRead()).isZero();

        // a full sync agrees with what the incremental ones did
        Synced full = f.sync(new RunOptions(SyncMode.FULL, null));
        assertThat(full.result().mode()).isEqualTo(SyncMode.FULL);
        assertThat(full.result().modeReason()).isEqualTo("a full sync was requested for this run (mode FULL)");
        assertThat(full.stats()).isEqualTo(new RunStats(0, 0, 0, 0, 30, 0)); // 30 + 1 added - 1 deleted
        assertThat(f.watermark().lastFullSyncAt()).isAfter(w1.lastFullSyncAt());
    }

    @Test
    void everyUntrustworthyWatermarkFallsBackToAFullSync() throws Exception {
        Fixture f = new Fixture("fallback", 500, 50);
        List<User> u = f.addUsers("fb", 5);
        assertThat(f.sync().result().mode()).isEqualTo(SyncMode.FULL);
        assertThat(f.sync().result().mode()).isEqualTo(SyncMode.INCREMENTAL);

        // the DC was restored from a backup: a new invocationId
        ad.restoreFromBackup();
        Synced restored = f.sync();
        assertThat(restored.result().mode()).isEqualTo(SyncMode.FULL);
        assertThat(restored.result().modeReason()).startsWith("the invocationId of 127.0.0.1 changed from ");
        assertThat(f.watermark().invocationId()).isEqualTo(ad.invocationId());
        assertThat(f.sync().result().mode()).isEqualTo(SyncMode.INCREMENTAL);

        // the stored watermark's invocationId no longer matches (as if overwritten)
        db.execute("UPDATE domain_watermark SET invocation_id = gen_random_uuid() WHERE domain_id = '" + f.domain.id + "'");
        assertThat(f.sync().result().modeReason()).startsWith("the invocationId of 127.0.0.1 changed from ");

        // another DC answers: the first host is down, the second one (a different host) answers
        db.updateDomain(f.domain.id, "hosts", List.of("127.0.0.99", "localhost"));
        Synced failover = f.sync();
        assertThat(failover.result().failed()).as(failover.result().errorMessage()).isFalse();
        assertThat(failover.result().modeReason()).isEqualTo("another domain controller answered (failover): the watermark is "
                + "from 127.0.0.1, this run reads localhost; update sequence numbers are per DC");
        assertThat(db.watermarks(f.domain.id)).containsOnlyKeys("127.0.0.1", "localhost");
        assertThat(f.sync().result().mode()).isEqualTo(SyncMode.INCREMENTAL); // from localhost now
        db.updateDomain(f.domain.id, "hosts", List.of("127.0.0.1"));
        assertThat(f.sync().result().modeReason()).startsWith("another domain controller answered (failover): the watermark is from localhost");

        // the domain's settings changed (e.g. a new base DN or filter through the API): full, once
        db.execute("UPDATE ad_domain SET updated_at = now() WHERE id = '" + f.domain.id + "'");
        Synced changed = f.sync();
        assertThat(changed.result().mode()).isEqualTo(SyncMode.FULL);
        assertThat(changed.result().modeReason()).startsWith("the domain's settings were changed at ");
        assertThat(f.sync().result().mode()).isEqualTo(SyncMode.INCREMENTAL);

        // the periodic full reconciliation
        db.execute("UPDATE sync_job SET full_sync_interval = interval '1 hour' WHERE id = '" + f.job + "'");
        assertThat(f.sync().result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        db.execute("UPDATE domain_watermark SET last_full_sync_at = last_full_sync_at - interval '61 minutes' WHERE domain_id = '"
                + f.domain.id + "'");
        db.execute("UPDATE ad_domain SET updated_at = updated_at - interval '1 day' WHERE id = '" + f.domain.id + "'");
        ad.replace(u.get(0).dn(), "displayName", "Reconciled");
        Synced periodic = f.sync();
        assertThat(periodic.result().mode()).isEqualTo(SyncMode.FULL);
        assertThat(periodic.result().modeReason()).startsWith("periodic full reconciliation due: the last full sync was at ")
                .endsWith("the job asks for one every PT1H");
        assertThat(periodic.stats()).isEqualTo(new RunStats(0, 1, 0, 0, 4, 0));
        assertThat(f.sync().result().mode()).isEqualTo(SyncMode.INCREMENTAL);
    }

    @Test
    void theDeletionGuardAppliesToIncrementalSyncsAndTheWatermarkStaysUntilTheyPass() throws Exception {
        Fixture f = new Fixture("guard", 500, 20); // 10 active: at most 2 may go
        List<User> u = f.addUsers("g", 10);
        f.sync();
        long mark = f.watermark().highestUsn();
        ad.delete(u.get(0).dn());
        ad.delete(u.get(1).dn());
        ad.moveOrRename(u.get(2).dn(), "CN=" + u.get(2).cn(), InMemoryAd.OUTSIDE);
        ad.replace(u.get(3).dn(), "displayName", "Still Applied");

        Synced tripped = f.sync();

        assertThat(tripped.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(tripped.result().errorCategory()).isEqualTo(ErrorCategory.DELETION_THRESHOLD);
        assertThat(tripped.result().errorMessage()).startsWith("3 active accounts were deleted or left the sync's scope")
                .contains("(2 = min(maxDeactivations 500, 20% of 10 active accounts))");
        assertThat(tripped.stats()).isEqualTo(new RunStats(0, 1, 0, 0, 0, 0));
        assertThat(f.accounts().values()).allMatch(EngineDb.AccountRow::active);
        assertThat(f.accounts().get(u.get(3).guid()).displayName()).isEqualTo("Still Applied");
        assertThat(f.watermark().highestUsn()).isEqualTo(mark);

        Synced again = f.sync(); // the same changes again: tripped again
        assertThat(again.result().errorCategory()).isEqualTo(ErrorCategory.DELETION_THRESHOLD);
        assertThat(again.stats()).isEqualTo(new RunStats(0, 0, 0, 0, 1, 0));

        Synced allowed = f.sync(new RunOptions(null, true));
        assertThat(allowed.result().failed()).isFalse();
        assertThat(allowed.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(allowed.stats()).isEqualTo(new RunStats(0, 0, 3, 0, 1, 0));
        assertThat(f.watermark().highestUsn()).isGreaterThan(mark);
    }

    @Test
    void aFailedIncrementalSyncDeactivatesNothingAndKeepsTheWatermark() throws Exception {
        Fixture f = new Fixture("failing", 500, 50);
        List<User> u = f.addUsers("x", 10);
        f.sync();
        Watermark before = f.watermark();
        ad.delete(u.get(0).dn());
        ad.replace(u.get(1).dn(), "displayName", "Changed One");
        ad.faults().failCode = com.unboundid.ldap.sdk.ResultCode.UNAVAILABLE;

        // page 1: the range scan (it finds the tombstone and the changed user), page 2: the lookup by objectGUID
        for (int page : new int[] {1, 2}) {
            ad.faults().resetCounters();
            ad.faults().failPage = page;

            Synced failed = f.sync();

            assertThat(failed.result().errorCategory()).as("page %d", page).isEqualTo(ErrorCategory.UNREACHABLE);
            assertThat(failed.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(failed.stats()).isEqualTo(RunStats.EMPTY);
            assertThat(f.accounts().get(u.get(0).guid()).active()).isTrue();
            assertThat(f.watermark()).isEqualTo(before);
            assertThat(failed.domain()).doesNotContainKey("notFound");
            assertThat(ad.faults().pagedFilters).hasSize(page);
        }

        ad.faults().reset();
        Synced rerun = f.sync();
        assertThat(rerun.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(rerun.stats()).isEqualTo(new RunStats(0, 1, 1, 0, 0, 0));
        assertThat(f.accounts().get(u.get(0).guid()).reason()).isEqualTo(DomainSync.REASON_DELETED);
        assertThat(f.accounts().get(u.get(1).guid()).displayName()).isEqualTo("Changed One");
    }

    @Test
    void oneRangeScanThenLookupsByObjectGuidInChunksAndAFailedChunkDeactivatesNothing() throws Exception {
        Fixture f = new Fixture("chunks", 500, 50);
        int changed = 2 * GuidLookup.CHUNK + GuidLookup.CHUNK / 2;
        List<User> u = f.addUsers("c", changed + 1);
        f.sync();
        Watermark before = f.watermark();
        for (int i = 0; i < changed; i++) {
            ad.replace(u.get(i).dn(), "displayName", "Chunked " + i);
        }
        ad.delete(u.get(changed).dn());
        // the range scan: (changed + 1) / 20 pages; each chunk of 100 GUIDs: 5 pages of 20. Fail the second chunk.
        int scanPages = (changed + 1 + 19) / 20;
        ad.faults().resetCounters();
        ad.faults().failPage = scanPages + GuidLookup.CHUNK / 20 + 1;

        Synced failed = f.sync();

        assertThat(failed.result().errorCategory()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(failed.stats()).isEqualTo(new RunStats(0, GuidLookup.CHUNK, 0, 0, 0, 0)); // the first chunk
        assertThat(f.accounts().get(u.get(changed).guid()).active()).isTrue();
        assertThat(f.watermark()).isEqualTo(before);

        ad.faults().reset();
        Synced rerun = f.sync();

        assertThat(rerun.result().failed()).as(rerun.result().errorMessage()).isFalse();
        assertThat(rerun.stats()).isEqualTo(new RunStats(0, changed - GuidLookup.CHUNK, 1, 0, GuidLookup.CHUNK, 0));
        assertThat(rerun.domain().get("reads")).isEqualTo(Map.of("changes", changed + 1L, "tombstones", 1L,
                "inScope", (long) changed));
        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        for (int i = 0; i < changed; i++) {
            assertThat(rows.get(u.get(i).guid()).displayName()).isEqualTo("Chunked " + i);
        }
        assertThat(rows.get(u.get(changed).guid()).reason()).isEqualTo(DomainSync.REASON_DELETED);
        // exactly one search with a uSNChanged range (all its pages), with Show Deleted; then the lookups, each with
        // the user filter and at most CHUNK objectGUIDs
        List<String> filters = ad.faults().pagedFilters;
        List<String> ranged = filters.stream().filter(x -> x.contains("uSNChanged")).distinct().toList();
        assertThat(ranged).containsExactly("showDeleted (&(objectClass=user)(uSNChanged>=" + (before.highestUsn() + 1) + "))");
        List<String> lookups = filters.stream().filter(x -> !x.contains("uSNChanged")).distinct().toList();
        assertThat(lookups).hasSize(3).allSatisfy(x -> assertThat(x).startsWith("(&" + FILTER + "(|(objectGUID="));
        assertThat(lookups.stream().mapToInt(x -> x.split("objectGUID=", -1).length - 1))
                .containsExactly(GuidLookup.CHUNK, GuidLookup.CHUNK, changed - 2 * GuidLookup.CHUNK);
    }

    @Test
    void aUserMovedIntoTheBaseDnIsCreatedAndUsersChangedOutsideItAreNot() throws Exception {
        Fixture f = new Fixture("into", 500, 50);
        List<User> u = f.addUsers("in", 3);
        User outside = User.simple("into-outside-" + scopes, InMemoryAd.OUTSIDE);
        User arriving = User.simple("into-arriving-" + scopes, InMemoryAd.OUTSIDE);
        ad.add(outside);
        ad.add(arriving);
        f.sync();
        assertThat(f.accounts()).hasSize(3);

        ad.replace(outside.dn(), "displayName", "Changed Outside");             // matches the filter, but not under the base DN
        ad.moveOrRename(arriving.dn(), "CN=" + arriving.cn(), f.moved);         // moved into the base DN
        ad.addComputer("into-pc-" + scopes, f.users);                           // under the base DN, not matching the filter
        ad.replace(u.get(0).dn(), "displayName", "Changed Inside");
        ad.faults().resetCounters();

        Synced second = f.sync();

        assertThat(second.result().failed()).as(second.result().errorMessage()).isFalse();
        assertThat(second.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(second.stats()).isEqualTo(new RunStats(1, 1, 0, 0, 0, 0));
        // scanned: the 4 changes; looked up: the 3 under the base DN; in scope: the arriving user and u0
        assertThat(second.domain().get("reads")).isEqualTo(Map.of("changes", 4L, "tombstones", 0L, "inScope", 2L));
        assertThat(second.domain()).containsEntry("outOfScope", 0L).containsEntry("deleted", 0L);
        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        assertThat(rows).hasSize(4).doesNotContainKey(outside.guid());
        assertThat(rows.get(arriving.guid()).active()).isTrue();
        assertThat(rows.get(arriving.guid()).dn()).isEqualTo("CN=" + arriving.cn() + "," + f.moved);
        assertThat(rows.get(u.get(0).guid()).displayName()).isEqualTo("Changed Inside");
        // the lookup asked for the 3 changed entries under the base DN only
        List<String> lookups = ad.faults().pagedFilters.stream().filter(x -> !x.contains("uSNChanged")).distinct().toList();
        assertThat(lookups).hasSize(1);
        assertThat(lookups.getFirst().split("objectGUID=", -1)).hasSize(4);
    }

    @Test
    void usersThatNoLongerMatchTheFilterOrMovedOutAreOutOfScopeEvenWithABaseDnSpelledDifferently() throws Exception {
        Fixture f = new Fixture("scope", 500, 50, true);
        assertThat(f.domain.baseDn).startsWith("ou=scope-").contains(", ou=adsync, dc=corp");
        List<User> u = f.addUsers("s", 4);
        assertThat(f.sync().stats().created()).isEqualTo(4);

        ad.replace(u.get(0).dn(), "description", "nosync");                     // no longer matching the filter
        ad.moveOrRename(u.get(1).dn(), "CN=" + u.get(1).cn(), InMemoryAd.OUTSIDE); // out of the base DN
        ad.replace(u.get(2).dn(), "displayName", "Still In");
        ad.faults().resetCounters();

        Synced second = f.sync();

        assertThat(second.result().failed()).as(second.result().errorMessage()).isFalse();
        assertThat(second.result().mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(second.stats()).isEqualTo(new RunStats(0, 1, 2, 0, 0, 0));
        assertThat(second.domain()).containsEntry("outOfScope", 2L).containsEntry("deleted", 0L);
        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        assertThat(rows.get(u.get(0).guid()).reason()).isEqualTo(DomainSync.REASON_OUT_OF_SCOPE);
        assertThat(rows.get(u.get(1).guid()).reason()).isEqualTo(DomainSync.REASON_OUT_OF_SCOPE);
        assertThat(rows.get(u.get(2).guid()).active()).isTrue();
        assertThat(rows.get(u.get(3).guid()).active()).isTrue();
        // the one moved out (an active account) was asked for by objectGUID too, under the base DN: not returned
        List<String> lookups = ad.faults().pagedFilters.stream().filter(x -> !x.contains("uSNChanged")).distinct().toList();
        assertThat(lookups).hasSize(1);
        assertThat(lookups.getFirst().split("objectGUID=", -1)).hasSize(4);
    }

    @Test
    void aChangedUserThatWasThenDeletedIsATombstoneNotOutOfScope() throws Exception {
        Fixture f = new Fixture("tomb", 500, 100);
        List<User> u = f.addUsers("t", 4);
        f.sync();
        ad.replace(u.get(0).dn(), "displayName", "Changed Then Deleted");
        ad.delete(u.get(0).dn());
        ad.moveOrRename(u.get(1).dn(), "CN=" + u.get(1).cn(), InMemoryAd.OUTSIDE);
        ad.delete("CN=" + u.get(1).cn() + "," + InMemoryAd.OUTSIDE);           // moved out, then deleted
        ad.replace(u.get(2).dn(), "description", "nosync");
        ad.delete(u.get(2).dn());                                               // filtered out, then deleted
        ad.faults().resetCounters();

        Synced second = f.sync();

        assertThat(second.result().failed()).as(second.result().errorMessage()).isFalse();
        assertThat(second.stats()).isEqualTo(new RunStats(0, 0, 3, 0, 0, 0));
        assertThat(second.domain()).containsEntry("deleted", 3L).containsEntry("outOfScope", 0L);
        assertThat(second.domain().get("reads")).isEqualTo(Map.of("changes", 3L, "tombstones", 3L, "inScope", 0L));
        Map<UUID, EngineDb.AccountRow> rows = f.accounts();
        for (int i = 0; i < 3; i++) {
            assertThat(rows.get(u.get(i).guid()).reason()).as("user %d", i).isEqualTo(DomainSync.REASON_DELETED);
        }
        assertThat(rows.get(u.get(3).guid()).active()).isTrue();
        // nothing live changed: no lookup at all
        assertThat(ad.faults().pagedFilters).allSatisfy(x -> assertThat(x).contains("uSNChanged"));
    }

    @Test
    void throughTheWorkerTheRunRecordsModeAndReasonAndSyncAllIsIncrementalOnlyIfEveryDomainIs() throws Exception {
        db.execute("TRUNCATE account, domain_lease, domain_watermark, job_run, sync_job, ad_domain, job_server CASCADE");
        Fixture a = new Fixture("w-a", 500, 50);
        a.addUsers("wa", 3);
        Fixture b = new Fixture("w-b", 500, 50);
        List<User> bu = b.addUsers("wb", 4);
        UUID all = db.job(null, 500, 50);
        Worker worker = new Worker(ds, null, workerConfig.toSettings("incr-test"), executor, new WorkerMetrics(meters), "test");
        worker.start();
        try {
            EngineDb.RunRow first = awaitEnd(worker, db.queueRun(all, RunOptions.DEFAULT));
            assertThat(first.state()).isEqualTo("SUCCEEDED");
            assertThat(first.mode()).isEqualTo("FULL");
            assertThat(first.modeReason()).startsWith("2 of 2 domains not incremental: ");

            ad.replace(bu.getFirst().dn(), "displayName", "Via Worker");
            EngineDb.RunRow second = awaitEnd(worker, db.queueRun(all, RunOptions.DEFAULT));
            assertThat(second.state()).isEqualTo("SUCCEEDED");
            assertThat(second.mode()).isEqualTo("INCREMENTAL");
            assertThat(second.modeReason()).isEqualTo("every domain (2) was synced incrementally");
            assertThat(second.stats()).contains("\"updated\": 1");
            // b: the changed user, in the range scan and in the lookup by objectGUID; a: the same user in the range scan
            // of the (shared) naming context, not looked up (not under a's base DN, not one of a's accounts)
            assertThat(second.progress()).contains("\"entriesRead\": 3");
            assertThat(second.details()).contains("\"mode\": \"INCREMENTAL\"").doesNotContain("\"mode\": \"FULL\"");

            // watermarks belong to the domain, not the job: a's own job continues where the sync-all run left off
            EngineDb.RunRow own = awaitEnd(worker, db.queueRun(a.job, RunOptions.DEFAULT));
            assertThat(own.mode()).isEqualTo("INCREMENTAL");

            EngineDb.RunRow forced = awaitEnd(worker, db.queueRun(all, new RunOptions(SyncMode.FULL, null)));
            assertThat(forced.mode()).isEqualTo("FULL");
            assertThat(forced.modeReason()).isEqualTo("2 of 2 domains not incremental: " + a.domain.name
                    + ": a full sync was requested for this run (mode FULL); " + b.domain.name
                    + ": a full sync was requested for this run (mode FULL)");
        } finally {
            worker.stop();
        }
    }

    private EngineDb.RunRow awaitEnd(Worker worker, UUID runId) {
        worker.wakeUp();
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> db.run(runId).orElseThrow(), r -> !r.state().equals("QUEUED") && !r.state().equals("RUNNING"));
    }
}
