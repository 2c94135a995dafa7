package io.adsync.run;

/** Why a run exists: its job's schedule came due, someone asked for it, or an earlier attempt failed. */
public enum RunTrigger {
    SCHEDULE, MANUAL, RETRY
}
