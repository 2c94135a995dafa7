package io.adsync.run;

import io.adsync.run.ErrorCategory;

/** A run failed for a classified reason. The message must never contain a secret. */
public class SyncFailure extends Exception {

    private final ErrorCategory category;

    public SyncFailure(ErrorCategory category, String message) {
        super(message);
        this.category = category;
    }

    public SyncFailure(ErrorCategory category, String message, Throwable cause) {
        super(message, cause);
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }
}
