-- adsync core schema. UUID ids, timestamptz everywhere, a "version" column on every mutable row
-- (optimistic locking through JPA @Version and in the worker's hand-written SQL).

CREATE TABLE ad_domain (
    id                      uuid PRIMARY KEY,
    name                    text        NOT NULL,
    hosts                   text[]      NOT NULL CHECK (cardinality(hosts) > 0),
    port                    integer     NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security                text        NOT NULL CHECK (security IN ('LDAPS', 'STARTTLS', 'NONE')),
    ca_certificate_pem      text,
    bind_dn                 text        NOT NULL,
    -- AES-256-GCM: 1 byte format version, 12 byte nonce, ciphertext and 16 byte tag. Never plaintext.
    bind_password_enc       bytea       NOT NULL,
    base_dn                 text        NOT NULL,
    user_filter             text        NOT NULL,
    page_size               integer     NOT NULL CHECK (page_size BETWEEN 1 AND 10000),
    connect_timeout_seconds integer     NOT NULL CHECK (connect_timeout_seconds BETWEEN 1 AND 300),
    read_timeout_seconds    integer     NOT NULL CHECK (read_timeout_seconds BETWEEN 1 AND 3600),
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    version                 bigint      NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ad_domain_name_uq ON ad_domain (lower(name));

CREATE TABLE job_server (
    id                 uuid PRIMARY KEY,
    name               text        NOT NULL UNIQUE,
    can_be_job_server  boolean     NOT NULL DEFAULT true,
    last_heartbeat_at  timestamptz,
    software_version   text,
    started_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    version            bigint      NOT NULL DEFAULT 0
);

CREATE TABLE sync_job (
    id                        uuid PRIMARY KEY,
    type                      text        NOT NULL CHECK (type IN ('AD_SYNC')),
    name                      text        NOT NULL,
    description               text,
    domain_id                 uuid REFERENCES ad_domain (id),
    sync_all_domains          boolean     NOT NULL DEFAULT false,
    requeue_on_failure        boolean     NOT NULL DEFAULT false,
    enabled                   boolean     NOT NULL DEFAULT true,
    schedule                  jsonb       NOT NULL,
    next_run_at               timestamptz,
    -- the RUNNING run, if any. Kept on the job row so that the claim's row lock covers it (see worker ClaimSql).
    current_run_id            uuid,
    max_deactivations         integer     NOT NULL DEFAULT 500 CHECK (max_deactivations >= 0),
    max_deactivation_percent  integer     NOT NULL DEFAULT 20 CHECK (max_deactivation_percent BETWEEN 0 AND 100),
    last_run_id               uuid,
    last_run_state            text,
    last_run_started_at       timestamptz,
    last_run_finished_at      timestamptz,
    last_run_error            text,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    version                   bigint      NOT NULL DEFAULT 0,
    CONSTRAINT sync_job_scope_ck CHECK ((domain_id IS NULL) = sync_all_domains)
);
CREATE UNIQUE INDEX sync_job_name_uq ON sync_job (lower(name));
CREATE INDEX sync_job_due_idx ON sync_job (next_run_at) WHERE enabled AND current_run_id IS NULL;
CREATE INDEX sync_job_domain_idx ON sync_job (domain_id);

CREATE TABLE job_run (
    id               uuid PRIMARY KEY,
    job_id           uuid        NOT NULL REFERENCES sync_job (id) ON DELETE CASCADE,
    attempt          integer     NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    trigger          text        NOT NULL CHECK (trigger IN ('SCHEDULE', 'MANUAL', 'RETRY')),
    state            text        NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'ABANDONED')),
    job_server_id    uuid        REFERENCES job_server (id) ON DELETE SET NULL,
    -- the claiming worker process (a fresh UUID per process); every worker write fences on it
    lease_owner      uuid,
    lease_until      timestamptz,
    not_before       timestamptz NOT NULL DEFAULT now(),
    scheduled_for    timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    options          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    mode             text        CHECK (mode IN ('FULL', 'INCREMENTAL')),
    mode_reason      text,
    progress         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    stats            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    details          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    message          text,
    error_category   text,
    error_message    text,
    version          bigint      NOT NULL DEFAULT 0
);
CREATE INDEX job_run_job_idx ON job_run (job_id, created_at DESC);
CREATE INDEX job_run_queued_idx ON job_run (not_before) WHERE state = 'QUEUED';
CREATE INDEX job_run_running_lease_idx ON job_run (lease_until) WHERE state = 'RUNNING';
-- Belt and braces for "exactly one RUNNING run per job": the claim already guarantees it.
CREATE UNIQUE INDEX job_run_one_running_uq ON job_run (job_id) WHERE state = 'RUNNING';

CREATE TABLE account (
    id                   uuid PRIMARY KEY,
    domain_id            uuid        NOT NULL REFERENCES ad_domain (id) ON DELETE CASCADE,
    object_guid          uuid        NOT NULL,
    username             text,
    user_principal_name  text,
    email                text,
    display_name         text,
    given_name           text,
    surname              text,
    distinguished_name   text,
    user_account_control integer,
    account_expires      bigint,
    active               boolean     NOT NULL,
    deactivation_reason  text,
    last_synced_at       timestamptz NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL DEFAULT 0,
    CONSTRAINT account_anchor_uq UNIQUE (domain_id, object_guid)
);
CREATE INDEX account_domain_active_idx ON account (domain_id, active);
CREATE INDEX account_username_idx ON account (lower(username));
