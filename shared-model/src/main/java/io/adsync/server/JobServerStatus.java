package io.adsync.server;

/** Derived from heartbeat age, never stored. */
public enum JobServerStatus {
    ONLINE, OFFLINE
}
