package io.adsync.worker.run;

import java.util.UUID;

/** The run's lease is no longer ours (expired and taken over, or released): stop and write nothing more. */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(UUID runId) {
        super("lease of run " + runId + " was lost; stopping without writing");
    }
}
