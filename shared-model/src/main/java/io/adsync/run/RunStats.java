package io.adsync.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Exact counts of what a run did to local accounts. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStats(long created, long updated, long deactivated, long reactivated, long unchanged, long errors) {
    public static final RunStats EMPTY = new RunStats(0, 0, 0, 0, 0, 0);

    public RunStats plus(RunStats o) {
        return new RunStats(created + o.created, updated + o.updated, deactivated + o.deactivated,
                reactivated + o.reactivated, unchanged + o.unchanged, errors + o.errors);
    }
}
