-- Groups: opt in per domain, synced by objectGUID, with direct memberships (accounts and nested groups).

-- group_base_dn NULL: the domain's groups are not synced. group_filter selects them under it.
ALTER TABLE ad_domain
    ADD COLUMN group_base_dn text,
    ADD COLUMN group_filter  text NOT NULL DEFAULT '(objectClass=group)';

-- A directory group. Like account: keyed on (domain_id, object_guid), so a rename or a move updates the same row;
-- never deleted by a sync, only deactivated (and then it has no memberships).
CREATE TABLE ad_group (
    id                  uuid PRIMARY KEY,
    domain_id           uuid        NOT NULL REFERENCES ad_domain (id) ON DELETE CASCADE,
    object_guid         uuid        NOT NULL,
    -- cn, or sAMAccountName when there is no cn
    name                text,
    sam_account_name    text,
    distinguished_name  text,
    description         text,
    active              boolean     NOT NULL,
    deactivation_reason text,
    last_synced_at      timestamptz NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    version             bigint      NOT NULL DEFAULT 0,
    CONSTRAINT ad_group_anchor_uq UNIQUE (domain_id, object_guid)
);
CREATE INDEX ad_group_domain_active_idx ON ad_group (domain_id, active);
CREATE INDEX ad_group_dn_idx ON ad_group (domain_id, distinguished_name);
CREATE INDEX ad_group_name_idx ON ad_group (lower(name));
-- member values are DNs: they are resolved to synced accounts by DN
CREATE INDEX account_dn_idx ON account (domain_id, distinguished_name);

-- Direct memberships as the directory states them (the group's member attribute), among synced objects:
-- accounts in groups, and groups in groups. Effective (transitive) membership is computed from these with a
-- recursive query (UNION, so that cycles end).
CREATE TABLE group_membership (
    group_id   uuid NOT NULL REFERENCES ad_group (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX group_membership_account_idx ON group_membership (account_id);

CREATE TABLE group_nesting (
    group_id        uuid NOT NULL REFERENCES ad_group (id) ON DELETE CASCADE,
    member_group_id uuid NOT NULL REFERENCES ad_group (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, member_group_id)
);
CREATE INDEX group_nesting_member_idx ON group_nesting (member_group_id);
