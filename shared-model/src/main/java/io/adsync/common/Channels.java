package io.adsync.common;

/** PostgreSQL LISTEN/NOTIFY channels between the API and the workers. Polling stays the fallback. */
public final class Channels {

    /** Something may have become due (manual run queued, job created or changed); payload: the job id. */
    public static final String WAKEUP = "adsync_wakeup";
    /** A user asked to cancel a running run; payload: the run id. */
    public static final String CANCEL = "adsync_cancel";

    private Channels() {
    }
}
