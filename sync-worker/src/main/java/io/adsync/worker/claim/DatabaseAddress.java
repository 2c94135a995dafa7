package io.adsync.worker.claim;

/** Where the LISTEN connection goes: the same database as the pool. */
public record DatabaseAddress(String jdbcUrl, String user, String password) {
}
