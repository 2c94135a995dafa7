package io.adsync.worker.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adsync.common.JsonColumns;
import io.adsync.directory.DcState;
import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How the sync of one domain ended, as shown in the run's {@code details.domains[]} ({@link #toDetails}): every
 * property that is null (or an empty {@code invalidEntries}) is left out, except {@code name}.
 *
 * @param state                 SUCCEEDED, FAILED, CANCELLED, or SKIPPED (not started: the run was cancelled before)
 * @param stats                 accounts, and the groups the sync wrote ({@code groups}, summed into the run's stats;
 *                              the details show the accounts only, and the groups under {@code groups})
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
 * @param managerLinks          accounts linked to their manager's account in this sync, and those whose
 *                              {@code attributes.manager} was brought to their manager's new DN (left out when none)
 * @param warnings              the first {@value SyncWarnings#MAX_SAMPLES} values left out of the accounts' attributes
 *                              (over the binary cap, or not of their mapping's type); the sync did not fail for them
 * @param warningsTotal         how many warnings there were in all (left out when none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DomainReport(UUID domainId, @JsonInclude(JsonInclude.Include.ALWAYS) String name, String state,
                           ErrorCategory category, String message, @JsonIgnore RunStats stats, long entriesRead,
                           long pages, String server, Long activeBefore, Long notFound, Long deactivationThreshold,
                           long durationMs, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> invalidEntries,
                           SyncMode mode, String modeReason, Reads reads, @JsonUnwrapped Gone gone, Groups groups,
                           WatermarkRead watermark, ManagerLinks managerLinks,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> warnings, Long warningsTotal) {

    /** Numbers as Long, like the rest of the worker's details. */
    private static final ObjectMapper DETAILS = JsonColumns.MAPPER.copy().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    /**
     * @param changes    every entry of the range scan of the naming context, tombstones included
     * @param tombstones those of them deleted
     * @param inScope    the changed users the lookups by objectGUID returned
     */
    public record Reads(long changes, long tombstones, long inScope) {
    }

    public record Gone(long deleted, long outOfScope) {
    }

    /** @param linked accounts newly linked to their manager; @param refreshed reports given their manager's new DN */
    public record ManagerLinks(long linked, long refreshed) {
    }

    /** @param entriesRead the groups, and every read of their members */
    public record Groups(@JsonUnwrapped RunStats.Groups counts, long entriesRead) {
    }

    /** The watermark read before the searches; {@code available: false} when the directory publishes none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WatermarkRead(String dc, Boolean available, UUID invocationId, Long fromUsn, Long highestCommittedUsn,
                                Boolean advanced) {
        static WatermarkRead of(String host, DcState dc, SyncPlan plan, boolean advanced) {
            return dc.unusable().isPresent() ? new WatermarkRead(host, false, null, null, null, null)
                    : new WatermarkRead(host, null, dc.invocationId(), plan.incremental() ? plan.fromUsn() : null,
                    dc.highestCommittedUsn(), advanced);
        }
    }

    /** A domain that never got to the directory (not started, not loadable). */
    static DomainReport early(UUID domainId, String name, String state, ErrorCategory category, String message) {
        return new DomainReport(domainId, name, state, category, message, RunStats.EMPTY, 0, 0, null, null, null, null,
                0, List.of(), null, null, null, null, null, null, null, List.of(), null);
    }

    public boolean failed() {
        return category != null;
    }

    /** The details: a map of plain values (numbers as Long), with {@code stats} (accounts only) as a RunStats. */
    public Map<String, Object> toDetails() {
        Map<String, Object> m = DETAILS.convertValue(this, new TypeReference<LinkedHashMap<String, Object>>() {
        });
        m.put("stats", stats.withGroups(null));
        return m;
    }
}
