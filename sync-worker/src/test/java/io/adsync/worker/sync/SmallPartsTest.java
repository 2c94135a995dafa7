package io.adsync.worker.sync;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;
import io.adsync.worker.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** DeletionGuard, the lookup filter by objectGUID, the base DN test of the change scan, and how domain outcomes add up to a run result (HostPort and error classification: io.adsync.directory.DirectoryPartsTest). */
class SmallPartsTest {

    @Test
    void deletionGuardIsTheSmallerOfCountAndPercent() {
        DeletionGuard g = new DeletionGuard(500, 20, false);
        assertThat(g.threshold(10_000)).isEqualTo(500);
        assertThat(g.threshold(1_000)).isEqualTo(200);
        assertThat(g.threshold(9)).isEqualTo(1); // floor(1.8)
        assertThat(g.threshold(0)).isZero();
        assertThat(g.allows(200, 1_000)).isTrue();
        assertThat(g.allows(201, 1_000)).isFalse();
        assertThat(new DeletionGuard(500, 20, true).allows(1_000, 1_000)).isTrue();
        assertThat(new DeletionGuard(0, 100, false).allows(1, 1_000)).isFalse();
    }

    @Test
    void theLookupFilterEscapesEveryByteOfTheObjectGuidInAdByteOrder() {
        GuidSet g = new GuidSet(2);
        // as Samba returns it: objectGUID:: AAb4y1GZi066qAF0qUSlWQ== (00 06 f8 cb 51 99 8b 4e ba a8 01 74 a9 44 a5 59)
        g.add(UUID.fromString("cbf80600-9951-4e8b-baa8-0174a944a559"));
        g.add(UUID.fromString("00000000-0000-0000-0000-000000000041"));
        assertThat(GuidLookup.filter(" (objectClass=user) ", g, 0, 2)).isEqualTo("(&(objectClass=user)(|"
                + "(objectGUID=\\00\\06\\f8\\cb\\51\\99\\8b\\4e\\ba\\a8\\01\\74\\a9\\44\\a5\\59)"
                + "(objectGUID=\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\41)))"); // GuidSet order
        assertThat(GuidLookup.filter("(objectClass=user)", g, 1, 2)).hasSize("(&(objectClass=user)(|))".length() + 61);
    }

    @Test
    void aChangedEntryIsUnderTheBaseDnWhateverTheSpellingAndWhenInDoubt() throws Exception {
        org.apache.directory.api.ldap.model.name.Dn base = ChangeScan.lowerDn("OU=Staff, OU=Sync,DC=corp,DC=test");
        assertThat(ChangeScan.isUnder(entry("CN=Smith\\, John,ou=staff,ou=sync,dc=CORP,dc=test"), base)).isTrue();
        assertThat(ChangeScan.isUnder(entry("OU=Staff,OU=Sync,DC=corp,DC=test"), base)).isTrue();
        assertThat(ChangeScan.isUnder(entry("CN=x,OU=Staff2,OU=Sync,DC=corp,DC=test"), base)).isFalse();
        assertThat(ChangeScan.isUnder(entry("CN=x,OU=Sync,DC=corp,DC=test"), base)).isFalse();
        assertThat(ChangeScan.isUnder(entry("CN=x,OU=Staff,OU=Sync,DC=corp,DC=test"), ChangeScan.lowerDn("not a dn"))).isTrue();
    }

    private static org.apache.directory.api.ldap.model.entry.Entry entry(String dn) throws Exception {
        return new org.apache.directory.api.ldap.model.entry.DefaultEntry(dn);
    }

    @Test
    void oneFailedDomainFailsTheRunAndStatsAreSummed() {
        DomainReport ok = outcome("a", null, new RunStats(3, 1, 0, 0, 5, 0));
        DomainReport bad = outcome("b", ErrorCategory.UNREACHABLE, new RunStats(1, 0, 0, 0, 0, 0));
        RunResult r = AdSyncExecutor.result(List.of(ok, bad));
        assertThat(r.failed()).isTrue();
        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.UNREACHABLE);
        assertThat(r.errorMessage()).startsWith("1 of 2 domains failed: b: UNREACHABLE");
        assertThat(r.stats()).isEqualTo(new RunStats(4, 1, 0, 0, 5, 0));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> domains = (List<Map<String, Object>>) r.details().get("domains");
        assertThat(domains).extracting(d -> d.get("name")).containsExactly("a", "b");
        assertThat(domains).extracting(d -> d.get("state")).containsExactly("SUCCEEDED", "FAILED");
        assertThat(domains.get(1)).containsEntry("category", "UNREACHABLE");
    }

    @Test
    void aRetryableFailureWinsOverTheDeletionGuard() {
        RunResult r = AdSyncExecutor.result(List.of(outcome("a", ErrorCategory.DELETION_THRESHOLD, RunStats.EMPTY),
                outcome("b", ErrorCategory.TIMEOUT, RunStats.EMPTY)));
        assertThat(r.errorCategory()).isEqualTo(ErrorCategory.TIMEOUT);
        RunResult only = AdSyncExecutor.result(List.of(outcome("a", ErrorCategory.DELETION_THRESHOLD, RunStats.EMPTY)));
        assertThat(only.errorCategory()).isEqualTo(ErrorCategory.DELETION_THRESHOLD);
        assertThat(only.errorMessage()).isEqualTo("msg a");
        assertThat(AdSyncExecutor.result(List.of()).failed()).isFalse();
    }

    @Test
    void theRunIsIncrementalOnlyIfEveryDomainWas() {
        DomainReport a = outcome("a", null, RunStats.EMPTY, SyncMode.INCREMENTAL, "changes since USN 10 on dc1");
        DomainReport b = outcome("b", null, RunStats.EMPTY, SyncMode.INCREMENTAL, "changes since USN 20 on dc2");
        DomainReport c = outcome("c", null, RunStats.EMPTY, SyncMode.FULL, "no watermark yet");
        DomainReport dead = outcome("d", ErrorCategory.UNREACHABLE, RunStats.EMPTY, null, null);

        RunResult one = AdSyncExecutor.result(List.of(a));
        assertThat(one.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(one.modeReason()).isEqualTo("changes since USN 10 on dc1");
        RunResult both = AdSyncExecutor.result(List.of(a, b));
        assertThat(both.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(both.modeReason()).isEqualTo("every domain (2) was synced incrementally");
        RunResult mixed = AdSyncExecutor.result(List.of(a, c, dead));
        assertThat(mixed.mode()).isEqualTo(SyncMode.FULL);
        assertThat(mixed.modeReason()).isEqualTo("2 of 3 domains not incremental: c: no watermark yet; d: did not get to choose (FAILED)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> domains = (List<Map<String, Object>>) mixed.details().get("domains");
        assertThat(domains.get(0)).containsEntry("mode", "INCREMENTAL").containsEntry("modeReason", "changes since USN 10 on dc1");
        assertThat(domains.get(1)).containsEntry("mode", "FULL").containsEntry("modeReason", "no watermark yet");
        assertThat(domains.get(2)).doesNotContainKey("mode");
        RunResult none = AdSyncExecutor.result(List.of(dead));
        assertThat(none.mode()).isNull();
        assertThat(none.modeReason()).isNull();
    }

    private static DomainReport outcome(String name, ErrorCategory category, RunStats stats) {
        return outcome(name, category, stats, SyncMode.FULL, "full");
    }

    private static DomainReport outcome(String name, ErrorCategory category, RunStats stats, SyncMode mode, String reason) {
        return new DomainReport(UUID.randomUUID(), name, category == null ? "SUCCEEDED" : "FAILED", category,
                category == null ? null : "msg " + name, stats, 0, 0, null, null, null, null, 0, List.of(), mode, reason,
                null, null, null, null, null, List.of(), null);
    }
}
