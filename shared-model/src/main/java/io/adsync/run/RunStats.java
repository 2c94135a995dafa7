package io.adsync.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Exact counts of what a run did to local accounts, and, in {@code groups}, to groups (null, and left out of the
 * JSON, when the run wrote no group).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStats(long created, long updated, long deactivated, long reactivated, long unchanged, long errors,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Groups groups) {
    public static final RunStats EMPTY = new RunStats(0, 0, 0, 0, 0, 0);

    /** Accounts only. */
    public RunStats(long created, long updated, long deactivated, long reactivated, long unchanged, long errors) {
        this(created, updated, deactivated, reactivated, unchanged, errors, null);
    }

    /** What a run did to groups and their direct memberships. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Groups(long created, long updated, long deactivated, long reactivated, long unchanged, long errors,
                         long membershipsAdded, long membershipsRemoved) {
        public static final Groups NONE = new Groups(0, 0, 0, 0, 0, 0, 0, 0);

        public Groups plus(Groups o) {
            return o == null ? this : new Groups(created + o.created, updated + o.updated, deactivated + o.deactivated,
                    reactivated + o.reactivated, unchanged + o.unchanged, errors + o.errors,
                    membershipsAdded + o.membershipsAdded, membershipsRemoved + o.membershipsRemoved);
        }
    }

    /** These account counts with these group counts. */
    public RunStats withGroups(Groups g) {
        return new RunStats(created, updated, deactivated, reactivated, unchanged, errors, g);
    }

    /** As a record's, without {@code groups} when there are none (as before groups were counted). */
    @Override
    public String toString() {
        return "RunStats[created=" + created + ", updated=" + updated + ", deactivated=" + deactivated + ", reactivated="
                + reactivated + ", unchanged=" + unchanged + ", errors=" + errors
                + (groups == null ? "" : ", groups=" + groups) + "]";
    }

    public RunStats plus(RunStats o) {
        return new RunStats(created + o.created, updated + o.updated, deactivated + o.deactivated,
                reactivated + o.reactivated, unchanged + o.unchanged, errors + o.errors,
                groups == null ? o.groups : groups.plus(o.groups));
    }
}
