-- Auth keys (issue 15). V1 created the seed's auth_keys table and its
-- (organization_id, algorithm) index unchanged. Listing an organization's keys is keyset
-- paginated on (created_at, id), like every other listing, so it gets its own index; lookups by
-- kid use the primary key.
CREATE INDEX auth_keys_org_created_idx ON auth_keys (organization_id, created_at, id);
