package io.adsync.worker.sync;

import io.adsync.directory.DcState;
import io.adsync.run.RunOptions;
import io.adsync.run.SyncMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** When a domain is synced incrementally, and every reason to fall back to a full sync. */
class SyncPlanTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final UUID INVOCATION = UUID.fromString("8d5c9a3e-1111-4c2a-9f00-000000000001");
    static final String NTDS = "CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=corp,DC=test";
    static final DcState DC = new DcState(NTDS, INVOCATION, 5000L, "DC=corp,DC=test", List.of("DC=corp,DC=test"));
    static final Watermark MARK = new Watermark(UUID.randomUUID(), "dc1.corp.test", INVOCATION, 4000, NTDS,
            NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(1)));

    static SyncPlan decide(RunOptions options, Optional<Watermark> w, String host, DcState dc, Duration every) {
        return SyncPlan.decide(options, w, host, dc, NOW.minus(Duration.ofDays(30)), null, every, NOW);
    }

    @Test
    void aTrustedWatermarkGivesAnIncrementalSyncFromTheNextUsn() {
        SyncPlan p = decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, Duration.ofDays(1));
        assertThat(p.mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(p.fromUsn()).isEqualTo(4001);
        assertThat(p.reason()).startsWith("changes since USN 4000 on dc1.corp.test");
        // asking for INCREMENTAL is the same as asking for nothing
        assertThat(decide(new RunOptions(SyncMode.INCREMENTAL, null), Optional.of(MARK), "dc1.corp.test", DC,
                Duration.ofDays(1)).mode()).isEqualTo(SyncMode.INCREMENTAL);
    }

    @Test
    void everyReasonToFallBackToAFullSync() {
        Duration day = Duration.ofDays(1);
        assertThat(decide(new RunOptions(SyncMode.FULL, null), Optional.of(MARK), "dc1.corp.test", DC, day))
                .isEqualTo(SyncPlan.full("a full sync was requested for this run (mode FULL)"));
        assertThat(decide(RunOptions.DEFAULT, Optional.empty(), "dc1.corp.test", DC, day).reason())
                .startsWith("no watermark yet");
        assertThat(decide(RunOptions.DEFAULT, Optional.of(MARK), "dc2.corp.test", DC, day).reason())
                .startsWith("another domain controller answered (failover): the watermark is from dc1.corp.test, this run reads dc2.corp.test");
        UUID restored = UUID.randomUUID();
        assertThat(decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test",
                new DcState(NTDS, restored, 5000L, DC.defaultNamingContext(), DC.namingContexts()), day).reason())
                .startsWith("the invocationId of dc1.corp.test changed from " + INVOCATION + " to " + restored);
        assertThat(decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test",
                new DcState(NTDS, INVOCATION, 3999L, DC.defaultNamingContext(), DC.namingContexts()), day).reason())
                .contains("(3999) is below the watermark (4000)");
        assertThat(decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, Duration.ofHours(3)).reason())
                .isEqualTo("periodic full reconciliation due: the last full sync was at 2026-03-01T09:00:00Z, the job asks for one every PT3H");
        Watermark neverFull = new Watermark(MARK.domainId(), MARK.dcHost(), INVOCATION, 4000, NTDS, null, MARK.updatedAt());
        assertThat(decide(RunOptions.DEFAULT, Optional.of(neverFull), "dc1.corp.test", DC, day).reason())
                .startsWith("periodic full reconciliation due: the last full sync was never");
        assertThat(decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, Duration.ofHours(3).plusSeconds(1)).mode())
                .isEqualTo(SyncMode.INCREMENTAL);
    }

    @Test
    void aDomainChangedAfterTheLastFullSyncIsSyncedInFull() {
        Instant changed = MARK.lastFullSyncAt().plusSeconds(1);
        SyncPlan p = SyncPlan.decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, changed, null, Duration.ofDays(1), NOW);
        assertThat(p.mode()).isEqualTo(SyncMode.FULL);
        assertThat(p.reason()).isEqualTo("the domain's settings were changed at 2026-03-01T09:00:01Z, after the last full sync "
                + "at 2026-03-01T09:00:00Z: its base DN or filters may select other users now");
        assertThat(SyncPlan.decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, MARK.lastFullSyncAt(),
                MARK.lastFullSyncAt(), Duration.ofDays(1), NOW).mode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(SyncPlan.decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, null,
                null, Duration.ofDays(1), NOW).mode()).isEqualTo(SyncMode.INCREMENTAL);
    }

    @Test
    void mappingsChangedAfterTheLastFullSyncAreSyncedInFullAndSaySo() {
        Instant changed = MARK.lastFullSyncAt().plusSeconds(1);
        // the API bumps the domain's updatedAt with its mappings: the mappings' reason wins
        SyncPlan p = SyncPlan.decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, changed, changed,
                Duration.ofDays(1), NOW);
        assertThat(p.mode()).isEqualTo(SyncMode.FULL);
        assertThat(p.reason()).isEqualTo("the domain's attribute mappings were changed at 2026-03-01T09:00:01Z, after the "
                + "last full sync at 2026-03-01T09:00:00Z: every user is read again to fill the new mappings");
        // mappings changed before the last full sync, other settings after: the settings' reason
        SyncPlan q = SyncPlan.decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", DC, changed,
                MARK.lastFullSyncAt().minusSeconds(5), Duration.ofDays(1), NOW);
        assertThat(q.reason()).startsWith("the domain's settings were changed at ");
    }

    @Test
    void aDirectoryWithoutWatermarksIsAlwaysSyncedInFull() {
        DcState plain = new DcState(null, null, null, null, List.of());
        SyncPlan p = decide(RunOptions.DEFAULT, Optional.of(MARK), "dc1.corp.test", plain, Duration.ofDays(1));
        assertThat(p.mode()).isEqualTo(SyncMode.FULL);
        assertThat(p.reason()).isEqualTo("the directory server does not publish highestCommittedUSN, dsServiceName "
                + "(not Active Directory?), so changes cannot be tracked");
        DcState noInvocation = new DcState(NTDS, null, 10L, null, List.of());
        assertThat(noInvocation.unusable()).contains("the directory server does not publish the invocationId of " + NTDS
                + " (not Active Directory?), so changes cannot be tracked");
    }

    @Test
    void theNamingContextOfABaseDnIsTheClosestOneAboveIt() {
        DcState dc = new DcState(NTDS, INVOCATION, 1L, "DC=corp,DC=test",
                List.of("DC=corp,DC=test", "CN=Configuration,DC=corp,DC=test", "DC=child,DC=corp,DC=test"));
        assertThat(dc.namingContextOf("OU=Staff,DC=corp,DC=test")).isEqualTo("DC=corp,DC=test");
        assertThat(dc.namingContextOf("ou=staff,dc=CHILD,dc=corp,dc=test")).isEqualTo("DC=child,DC=corp,DC=test");
        assertThat(dc.namingContextOf("DC=corp,DC=test")).isEqualTo("DC=corp,DC=test");
        assertThat(dc.namingContextOf("OU=x,DC=elsewhere")).isEqualTo("DC=corp,DC=test"); // the default
        assertThat(ChangeScan.filter(4001)).isEqualTo("(&(objectClass=user)(uSNChanged>=4001))");
    }
}
