package io.adsync.worker.sync;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How the sync of one domain ended, as shown in the run's {@code details.domains[]}.
 *
 * @param state                 SUCCEEDED, FAILED, CANCELLED, or SKIPPED (not started: the run was cancelled before)
 * @param server                the DC that was read, e.g. ldaps://dc1.corp.example:636
 * @param activeBefore          active accounts of the domain before the run
 * @param notFound              active accounts found gone (full: not seen by the complete enumeration; incremental:
 *                              deleted or out of scope); null if the reads did not complete
 * @param deactivationThreshold the deletion guard's limit for this domain and run
 * @param invalidEntries        a few examples of entries that could not be stored (also counted in stats.errors)
 * @param mode                  FULL or INCREMENTAL; null if the sync failed before it could choose
 * @param modeReason            why that mode (see {@link SyncPlan})
 * @param sync                  more about the sync: the watermark read and whether it was advanced; for an
 *                              incremental sync, how many accounts were deleted and out of scope, and the entries
 *                              its searches read ({@code reads}: {@code changes}, every entry of the range scan of
 *                              the naming context, tombstones included; {@code tombstones}, those of them deleted;
 *                              {@code inScope}, the changed users the lookups by objectGUID returned)
 */
public record DomainOutcome(UUID domainId, String name, String state, ErrorCategory category, String message,
                            RunStats stats, long entriesRead, long pages, String server, Long activeBefore,
                            Long notFound, Long deactivationThreshold, long durationMs, List<String> invalidEntries,
                            SyncMode mode, String modeReason, Map<String, Object> sync) {

    /** A domain that never got to the directory (not started, not loadable). */
    static DomainOutcome early(UUID domainId, String name, String state, ErrorCategory category, String message) {
        return new DomainOutcome(domainId, name, state, category, message, RunStats.EMPTY, 0, 0, null, null, null, null,
                0, List.of(), null, null, Map.of());
    }

    public boolean failed() {
        return category != null;
    }

    public Map<String, Object> toDetails() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("domainId", domainId);
        m.put("name", name);
        m.put("state", state);
        if (category != null) {
            m.put("category", category.name());
        }
        if (message != null) {
            m.put("message", message);
        }
        if (mode != null) {
            m.put("mode", mode.name());
            m.put("modeReason", modeReason);
        }
        m.put("stats", stats);
        m.put("entriesRead", entriesRead);
        m.put("pages", pages);
        if (server != null) {
            m.put("server", server);
        }
        if (activeBefore != null) {
            m.put("activeBefore", activeBefore);
        }
        if (notFound != null) {
            m.put("notFound", notFound);
        }
        if (deactivationThreshold != null) {
            m.put("deactivationThreshold", deactivationThreshold);
        }
        m.putAll(sync);
        m.put("durationMs", durationMs);
        if (!invalidEntries.isEmpty()) {
            m.put("invalidEntries", invalidEntries);
        }
        return m;
    }
}
