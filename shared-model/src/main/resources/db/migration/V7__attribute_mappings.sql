-- Issue 13: attribute mappings per domain, mapped attributes and manager links on accounts.

-- The domain's mappings: [{"source":"department","target":"department","type":"STRING"}, ...].
-- NULL: the defaults (io.adsync.domain.AttributeMapping.DEFAULTS, the one place they are defined), for domains
-- created before this migration; the API stores an explicit list for every domain it creates or updates.
ALTER TABLE ad_domain
    ADD COLUMN attribute_mappings            jsonb CHECK (attribute_mappings IS NULL OR jsonb_typeof(attribute_mappings) = 'array'),
    ADD COLUMN attribute_mappings_changed_at timestamptz;

-- The mapped values (target -> value) and the link to the manager's account (same domain, resolved by the worker).
ALTER TABLE account
    ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
    ADD COLUMN manager_id uuid REFERENCES account (id) ON DELETE SET NULL;

-- GET /accounts?attr.<target>=<value>: attributes @> '{"<target>": <value>}'
CREATE INDEX account_attributes_idx ON account USING gin (attributes jsonb_path_ops);
-- GET /accounts/{id}/reports, and the worker's link maintenance
CREATE INDEX account_manager_idx ON account (manager_id) WHERE manager_id IS NOT NULL;
