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
}
