package io.adsync.run;

/** A full enumeration of the directory, or only what changed since the last watermark. */
public enum SyncMode {
    FULL, INCREMENTAL
}
