package io.adsync.worker.sync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code adsync.sync.*}: how the engine writes and reads; each default is set here and nowhere else. */
@ConfigMapping(prefix = "adsync.sync")
public interface SyncConfig {

    /** Entries written per (fenced, committed) transaction. */
    @WithDefault("1000")
    int batchSize();

    /**
     * 0: read group members in the ranges the server chooses (AD: 1,500 values); N: ask for explicit ranges of N
     * values (member;range=0-(N-1), ...).
     */
    @WithDefault("0")
    int memberRangeSize();

    /**
     * The largest value of a BINARY attribute mapping (e.g. thumbnailPhoto) that is stored, in bytes (before base64);
     * a larger value is left out of the account's attributes and the run records a warning.
     */
    @WithDefault("102400")
    int maxBinaryBytes();
}
