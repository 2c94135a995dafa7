package io.adsync.worker.sync;

import io.adsync.directory.DcState;
import io.adsync.run.RunOptions;
import io.adsync.run.SyncMode;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How one domain is synced in this run, and why: incremental (only what changed on the answering DC since the
 * domain's watermark) when the watermark can be trusted, full otherwise. The first reason that applies wins:
 * <ol>
 *   <li>the run asked for a full sync ({@code {"mode":"FULL"}});</li>
 *   <li>the directory publishes no watermark (highestCommittedUSN, dsServiceName's invocationId);</li>
 *   <li>there is no watermark yet;</li>
 *   <li>another DC answered than the one the watermark is from (failover): USNs are per DC;</li>
 *   <li>the DC's invocationId changed (restored from a backup: its USNs may repeat);</li>
 *   <li>the DC's highestCommittedUSN is below the watermark (the same);</li>
 *   <li>the domain's attribute mappings were changed after the last full sync: every user is read again, so that
 *       unchanged users get the new mappings' values too;</li>
 *   <li>the domain's settings were changed after the last full sync: its base DN or filters may select other
 *       users now, and objects that did not change would not be seen;</li>
 *   <li>the job's periodic full reconciliation is due ({@code full_sync_interval} since the last full sync).</li>
 * </ol>
 *
 * @param fromUsn for INCREMENTAL: read changes with {@code uSNChanged >= fromUsn} (the watermark + 1)
 */
public record SyncPlan(SyncMode mode, String reason, long fromUsn) {

    static SyncPlan full(String reason) {
        return new SyncPlan(SyncMode.FULL, reason, 0);
    }

    public boolean incremental() {
        return mode == SyncMode.INCREMENTAL;
    }

    /**
     * @param host             the entry of the domain's hosts that answered, lower case
     * @param dc               what that DC said about itself before the searches
     * @param domainChangedAt  when the domain's settings were last changed (null: unknown)
     * @param mappingsChangedAt when the domain's attribute mappings were last changed (null: never)
     */
    public static SyncPlan decide(RunOptions options, Optional<Watermark> current, String host, DcState dc,
                                  Instant domainChangedAt, Instant mappingsChangedAt, Duration fullSyncInterval,
                                  Instant now) {
        if (options != null && options.mode() == SyncMode.FULL) {
            return full("a full sync was requested for this run (mode FULL)");
        }
        Optional<String> unusable = dc.unusable();
        if (unusable.isPresent()) {
            return full(unusable.get());
        }
        if (current.isEmpty()) {
            return full("no watermark yet: the first sync of this domain is full");
        }
        Watermark w = current.get();
        if (!w.dcHost().equals(host)) {
            return full("another domain controller answered (failover): the watermark is from " + w.dcHost()
                    + ", this run reads " + host + "; update sequence numbers are per DC");
        }
        if (!w.invocationId().equals(dc.invocationId())) {
            return full("the invocationId of " + host + " changed from " + w.invocationId() + " to " + dc.invocationId()
                    + " (the DC was restored from a backup or rebuilt): its watermark can no longer be trusted");
        }
        if (dc.highestCommittedUsn() < w.highestUsn()) {
            return full("the highestCommittedUSN of " + host + " (" + dc.highestCommittedUsn()
                    + ") is below the watermark (" + w.highestUsn() + "): the watermark can no longer be trusted");
        }
        if (mappingsChangedAt != null && w.lastFullSyncAt() != null && mappingsChangedAt.isAfter(w.lastFullSyncAt())) {
            return full("the domain's attribute mappings were changed at " + mappingsChangedAt + ", after the last full "
                    + "sync at " + w.lastFullSyncAt() + ": every user is read again to fill the new mappings");
        }
        if (domainChangedAt != null && w.lastFullSyncAt() != null && domainChangedAt.isAfter(w.lastFullSyncAt())) {
            return full("the domain's settings were changed at " + domainChangedAt + ", after the last full sync at "
                    + w.lastFullSyncAt() + ": its base DN or filters may select other users now");
        }
        if (w.lastFullSyncAt() == null || !w.lastFullSyncAt().plus(fullSyncInterval).isAfter(now)) {
            return full("periodic full reconciliation due: the last full sync was "
                    + (w.lastFullSyncAt() == null ? "never" : "at " + w.lastFullSyncAt())
                    + ", the job asks for one every " + fullSyncInterval);
        }
        return new SyncPlan(SyncMode.INCREMENTAL, "changes since USN " + w.highestUsn() + " on " + host
                + " (last full sync at " + w.lastFullSyncAt() + ")", w.highestUsn() + 1);
    }
}
