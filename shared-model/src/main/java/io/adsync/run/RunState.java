package io.adsync.run;

/** Life cycle of a {@link JobRun}. QUEUED and RUNNING are live; the rest are final. */
public enum RunState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, ABANDONED
}
