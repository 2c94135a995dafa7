package io.adsync.worker.run;

import io.adsync.run.ErrorCategory;
import io.adsync.run.RunStats;
import io.adsync.run.SyncMode;

import java.util.Map;

/**
 * What a run achieved. A run with an {@code errorCategory} ends FAILED, even if it did some work
 * (e.g. one domain of "sync all domains" failed; {@code details} says which).
 */
public record RunResult(RunStats stats, Map<String, Object> details, SyncMode mode, String modeReason,
                        ErrorCategory errorCategory, String errorMessage) {

    public static RunResult success(RunStats stats) {
        return new RunResult(stats, Map.of(), null, null, null, null);
    }

    public static RunResult failure(ErrorCategory category, String message) {
        return new RunResult(RunStats.EMPTY, Map.of(), null, null, category, message);
    }

    public boolean failed() {
        return errorCategory != null;
    }
}
