package io.adsync.worker.sync;

import io.adsync.directory.DcState;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How the sync of one domain ended, as shown in the run's {@code details.domains[]} ({@link #toDetails}).
 *
 * @param state                 SUCCEEDED, FAILED, CANCELLED, or SKIPPED (not started: the run was cancelled before)
 * @param stats                 accounts, and the groups the sync wrote ({@code groups}, summed into the run's stats;
 *                              the details show the accounts only, the groups under {@code groups})
 * @param server                the DC that was read, e.g. ldaps://dc1.corp.example:636
 * @param activeBefore          active accounts of the domain before the run
 * @param notFound              active accounts found gone (full: not seen by the complete enumeration; incremental:
 *                              deleted or out of scope); null if the reads did not complete
 * @param deactivationThreshold the deletion guard's limit for this domain and run
 * @param invalidEntries        a few examples of entries that could not be stored (also counted in stats.errors)
 * @param mode                  FULL or INCREMENTAL; null if the sync failed before it could choose
 * @param modeReason            why that mode (see {@link SyncPlan})
 * @param reads                 incremental: the entries its searches read
 * @param gone                  incremental: how many active accounts were deleted, and how many left the scope
 * @param groups                the group sync, once it completed
 * @param watermark             the watermark read, and whether it was advanced (a completed sync, or a tripped guard)
 * <p>
 * Each of the last four is null, and left out of the details, when the sync did not get to it.
 */
public record DomainReport(UUID domainId, String name, String state, ErrorCategory category, String message,
                           RunStats stats, long entriesRead, long pages, String server, Long activeBefore,
                           Long notFound, Long deactivationThreshold, long durationMs, List<String> invalidEntries,
                           SyncMode mode, String modeReason, Reads reads, Gone gone, Groups groups,
                           WatermarkRead watermark) {

    /**
     * @param changes    every entry of the range scan of the naming context, tombstones included
     * @param tombstones those of them deleted
     * @param inScope    the changed users the lookups by objectGUID returned
     */
    public record Reads(long changes, long tombstones, long inScope) {
    }

    public record Gone(long deleted, long outOfScope) {
    }

    /** @param entriesRead the groups, and every read of their members */
    public record Groups(RunStats.Groups counts, long entriesRead) {
    }

    /** @param dc null when the directory publishes no watermark ({@code available: false}) */
    public record WatermarkRead(String host, DcState dc, Long fromUsn, boolean advanced) {
        static WatermarkRead of(String host, DcState dc, SyncPlan plan, boolean advanced) {
            return new WatermarkRead(host, dc.unusable().isPresent() ? null : dc, plan.incremental() ? plan.fromUsn() : null,
                    advanced);
        }
    }

    /** A domain that never got to the directory (not started, not loadable). */
    static DomainReport early(UUID domainId, String name, String state, ErrorCategory category, String message) {
        return new DomainReport(domainId, name, state, category, message, RunStats.EMPTY, 0, 0, null, null, null, null,
                0, List.of(), null, null, null, null, null, null);
    }

    public boolean failed() {
        return category != null;
    }

    public Map<String, Object> toDetails() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domainId", domainId);
        m.put("name", name);
        m.put("state", state);
        putIf(m, "category", category == null ? null : category.name());
        putIf(m, "message", message);
        if (mode != null) {
            m.put("mode", mode.name());
            m.put("modeReason", modeReason);
        }
        m.put("stats", stats.withGroups(null));
        m.put("entriesRead", entriesRead);
        m.put("pages", pages);
        putIf(m, "server", server);
        putIf(m, "activeBefore", activeBefore);
        putIf(m, "notFound", notFound);
        putIf(m, "deactivationThreshold", deactivationThreshold);
        if (reads != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("changes", reads.changes());
            r.put("tombstones", reads.tombstones());
            r.put("inScope", reads.inScope());
            m.put("reads", r);
        }
        if (gone != null) {
            m.put("deleted", gone.deleted());
            m.put("outOfScope", gone.outOfScope());
        }
        if (groups != null) {
            m.put("groups", groupDetails(groups));
        }
        if (watermark != null) {
            m.put("watermark", watermarkDetails(watermark));
        }
        m.put("durationMs", durationMs);
        if (!invalidEntries.isEmpty()) {
            m.put("invalidEntries", invalidEntries);
        }
        return m;
    }

    private static Map<String, Object> groupDetails(Groups g) {
        RunStats.Groups c = g.counts();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", c.created());
        m.put("updated", c.updated());
        m.put("reactivated", c.reactivated());
        m.put("deactivated", c.deactivated());
        m.put("unchanged", c.unchanged());
        m.put("errors", c.errors());
        m.put("entriesRead", g.entriesRead());
        m.put("membershipsAdded", c.membershipsAdded());
        m.put("membershipsRemoved", c.membershipsRemoved());
        return m;
    }

    private static Map<String, Object> watermarkDetails(WatermarkRead w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dc", w.host());
        if (w.dc() == null) {
            m.put("available", false);
            return m;
        }
        m.put("invocationId", w.dc().invocationId().toString());
        putIf(m, "fromUsn", w.fromUsn());
        m.put("highestCommittedUsn", w.dc().highestCommittedUsn());
        m.put("advanced", w.advanced());
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
