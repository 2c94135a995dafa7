package io.adsync.worker.sync;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;

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
 * @param notFound              active accounts the (complete) enumeration did not see; null if it did not complete
 * @param deactivationThreshold the deletion guard's limit for this domain and run
 * @param invalidEntries        a few examples of entries that could not be stored (also counted in stats.errors)
 */
public record DomainOutcome(UUID domainId, String name, String state, ErrorCategory category, String message,
                            RunStats stats, long entriesRead, long pages, String server, Long activeBefore,
                            Long notFound, Long deactivationThreshold, long durationMs, List<String> invalidEntries) {

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
        m.put("durationMs", durationMs);
        if (!invalidEntries.isEmpty()) {
            m.put("invalidEntries", invalidEntries);
        }
        return m;
    }
}
