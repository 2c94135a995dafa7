-- One row per domain being synced right now. Two runs that touch the same domain never sync it at the same
-- time: a run takes the lease of every domain it touches before reading (a "sync all domains" run takes them
-- all), extends them with its run lease heartbeat, and drops them when it ends. A lease of a dead worker
-- simply expires; nothing waits on a lock, so nothing can deadlock.
CREATE TABLE domain_lease (
    domain_id   uuid PRIMARY KEY REFERENCES ad_domain (id) ON DELETE CASCADE,
    run_id      uuid        NOT NULL,
    lease_until timestamptz NOT NULL
);
CREATE INDEX domain_lease_run_idx ON domain_lease (run_id);
