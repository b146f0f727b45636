-- Webhooks (ADR 0015). The seed tables webhook_endpoints and webhook_deliveries (V1) gain what
-- the transactional outbox and the lease-based dispatcher need; nothing changes a seed column's
-- meaning. organization_id on webhook_endpoints is already in V1 (DESIGN section 3, deviation 2).
--  * webhook_endpoints.description, updated_at: shown by the registry
--  * webhook_endpoints.previous_secret / previous_secret_expires_at: secret rotation with a
--    grace period during which both secrets sign
--  * webhook_endpoints.version, webhook_deliveries.version: every state change is guarded by
--    the version the writer read (optimistic locking), so a worker that lost its lease cannot
--    overwrite a newer result
--  * webhook_deliveries.event_id: the webhook-id, stable across retries and replays and shared
--    by the deliveries of one event to several endpoints
--  * webhook_deliveries.lease_owner / last_attempt_at: who holds a claimed row; the lease's end
--    is next_attempt_at, moved forward by the claim (seed column, seed meaning: when the row is
--    next looked at)
--  * webhook_event_sequences: the per-subject (message, thread, domain, endpoint) event counter
--    behind the payload's "sequence"

ALTER TABLE webhook_endpoints
    ADD COLUMN description                TEXT,
    ADD COLUMN previous_secret            TEXT,
    ADD COLUMN previous_secret_expires_at TIMESTAMPTZ,
    ADD COLUMN updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN version                    BIGINT NOT NULL DEFAULT 0;
UPDATE webhook_endpoints SET updated_at = created_at;

ALTER TABLE webhook_deliveries
    ADD COLUMN event_id        UUID NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN lease_owner     TEXT,
    ADD COLUMN last_attempt_at TIMESTAMPTZ,
    ADD COLUMN version         BIGINT NOT NULL DEFAULT 0;
-- mailcore always writes event_id; the default only keeps seed-shaped inserts valid.
UPDATE webhook_deliveries SET event_id = id;

-- The claim reads only due pending rows; delivered and failed rows pile up and stay out of it.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';
-- Listing an endpoint's deliveries newest first, optionally by status.
CREATE INDEX webhook_deliveries_endpoint_status_idx
    ON webhook_deliveries (endpoint_id, status, created_at, id);

CREATE TABLE webhook_event_sequences (
    subject_id UUID   PRIMARY KEY,
    last_value BIGINT NOT NULL
);
