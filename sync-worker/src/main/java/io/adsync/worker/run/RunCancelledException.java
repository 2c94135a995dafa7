package io.adsync.worker.run;

/** The run was cancelled (by a user, or because the worker is shutting down). */
public class RunCancelledException extends RuntimeException {
    public RunCancelledException(String reason) {
        super(reason);
    }
}
