-- Incremental sync (uSNChanged watermarks) and periodic full reconciliation.

-- How often a job's runs do a full enumeration of each domain even when an incremental sync would do
-- ("reconciliation": it also catches whatever an incremental sync cannot see). Default once a day.
ALTER TABLE sync_job
    ADD COLUMN full_sync_interval interval NOT NULL DEFAULT interval '1 day',
    ADD CONSTRAINT sync_job_full_sync_interval_ck
        CHECK (full_sync_interval BETWEEN interval '1 minute' AND interval '366 days');

-- Where the last successful sync of a domain left off, per domain controller. A watermark is the state of one DC
-- read from its rootDSE BEFORE the sync's searches started: its highestCommittedUSN and its invocationId (the
-- objectGUID-like id of the DC's database, from invocationId of the NTDS Settings object named by dsServiceName;
-- it changes when the DC is restored from a backup, and USNs must then no longer be trusted).
-- The domain's current watermark is its most recently advanced row (max updated_at): the DC the last successful
-- sync read. The next sync asks that same DC for (uSNChanged >= highest_usn + 1); if another DC answers, the
-- invocationId differs, there is no row, or a full sync is due, it does a full sync instead.
-- Rows are written only in the fenced transaction that ends a successful sync of the domain.
CREATE TABLE domain_watermark (
    domain_id         uuid        NOT NULL REFERENCES ad_domain (id) ON DELETE CASCADE,
    -- the entry of the domain's hosts that answered (lower case, without port)
    dc_host           text        NOT NULL,
    invocation_id     uuid        NOT NULL,
    highest_usn       bigint      NOT NULL CHECK (highest_usn >= 0),
    -- the DC's dsServiceName (its NTDS Settings DN), for people reading the table
    server_name       text,
    -- the last successful FULL sync against this DC; the job's full_sync_interval counts from here
    last_full_sync_at timestamptz,
    -- the run that advanced the watermark last
    run_id            uuid,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (domain_id, dc_host)
);
