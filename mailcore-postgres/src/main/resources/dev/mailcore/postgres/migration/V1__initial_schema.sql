-- mailcore schema, version 1.
--
-- Every table, column and index of the seed schema (seeds/database-schema.txt), with the
-- deviations DESIGN.md section 3 makes and the columns the MailStore SPI needs. Statements are
-- unqualified: Flyway runs them with search_path set to the schema the host configured.
--
-- Deviations from the seed, and why:
--  * messages has a surrogate key `id UUID` and is unique per (inbox_id, message_id), not
--    globally by Message-ID: the same email delivered to two inboxes must land in both.
--  * The child tables (message_recipients, message_references, attachments, delivery_events)
--    keep the seed's column name `message_id` but it holds messages.id (UUID), not the RFC 5322
--    Message-ID: the Message-ID alone no longer identifies one stored message.
--  * domains and webhook_endpoints carry organization_id (tenant isolation).
-- Additions the SPI needs (each nullable or defaulted, none changes a seed column's meaning):
--  * threads.inbox_id, threads.message_count
--  * domains.reply_to_name / bounce_name (display names of the two addresses)
--  * message_recipients.position, message_references.position (seed), attachments.position:
--    header order is kept
--  * attachments.content_id / inline (inline parts referenced from HTML)
--  * delivery_events.reason, suppressed_addresses.detail, webhook_deliveries.last_error
--  * idempotency_keys (send idempotency)
-- Text enums are TEXT with CHECK constraints rather than PostgreSQL enum types so a later
-- migration can add a value without ALTER TYPE's restrictions.

CREATE TABLE domains (
    id               UUID        PRIMARY KEY,
    organization_id  TEXT        NOT NULL,
    name             TEXT        NOT NULL,
    ses_identity_arn TEXT,
    dkim_tokens      TEXT[]      NOT NULL DEFAULT '{}',
    from_name        TEXT,
    reply_to_address TEXT,
    reply_to_name    TEXT,
    bounce_address   TEXT,
    bounce_name      TEXT,
    mx_verified      BOOLEAN     NOT NULL DEFAULT FALSE,
    spf_verified     BOOLEAN     NOT NULL DEFAULT FALSE,
    dkim_verified    BOOLEAN     NOT NULL DEFAULT FALSE,
    dmarc_verified   BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    deleted_at       TIMESTAMPTZ
);
-- seed "domains.name — domain lookups"; also: one active domain per name (soft-deleted names
-- may be registered again).
CREATE UNIQUE INDEX domains_name_active_uq ON domains (name) WHERE deleted_at IS NULL;
CREATE INDEX domains_name_idx ON domains (name);
CREATE INDEX domains_org_list_idx ON domains (organization_id, created_at, id)
    WHERE deleted_at IS NULL;

CREATE TABLE inboxes (
    id          UUID        PRIMARY KEY,
    domain_id   UUID        NOT NULL REFERENCES domains (id),
    name        TEXT        NOT NULL,
    local_part  TEXT        NOT NULL,
    is_catchall BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    deleted_at  TIMESTAMPTZ
);
-- seed "inboxes.domain_id, local_part — address routing", unique among active inboxes.
CREATE UNIQUE INDEX inboxes_route_active_uq ON inboxes (domain_id, local_part)
    WHERE deleted_at IS NULL;
-- at most one active catch-all per domain
CREATE UNIQUE INDEX inboxes_catchall_active_uq ON inboxes (domain_id)
    WHERE is_catchall AND deleted_at IS NULL;
CREATE INDEX inboxes_domain_list_idx ON inboxes (domain_id, created_at, id)
    WHERE deleted_at IS NULL;

CREATE TABLE threads (
    id            UUID        PRIMARY KEY,
    inbox_id      UUID        NOT NULL REFERENCES inboxes (id),
    subject       TEXT        NOT NULL,
    message_count INTEGER     NOT NULL DEFAULT 0 CHECK (message_count >= 0),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ
);
-- thread listing: newest activity first, keyset on (updated_at, id)
CREATE INDEX threads_inbox_list_idx ON threads (inbox_id, updated_at DESC, id DESC)
    WHERE deleted_at IS NULL;
-- threading's subject fallback: same inbox and normalized subject, recent activity
CREATE INDEX threads_inbox_subject_idx ON threads (inbox_id, subject, updated_at DESC)
    WHERE deleted_at IS NULL;

CREATE TABLE messages (
    id              UUID        PRIMARY KEY,
    message_id      TEXT        NOT NULL,
    thread_id       UUID        NOT NULL REFERENCES threads (id),
    inbox_id        UUID        NOT NULL REFERENCES inboxes (id),
    direction       TEXT        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_address    TEXT        NOT NULL,
    from_name       TEXT,
    subject         TEXT        NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    in_reply_to     TEXT,
    body_text       TEXT,
    body_html       TEXT,
    raw_storage_key TEXT        NOT NULL,
    ses_message_id  TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    -- dedupe per inbox; its index also serves the seed's "messages.inbox_id" (leading column)
    -- and threading's Message-ID lookups
    CONSTRAINT messages_inbox_message_id_uq UNIQUE (inbox_id, message_id)
);
-- seed "messages.thread_id — thread message listing", keyset on (sent_at, id)
CREATE INDEX messages_thread_list_idx ON messages (thread_id, sent_at, id);
-- seed "messages.ses_message_id — delivery event correlation"
CREATE INDEX messages_ses_message_id_idx ON messages (ses_message_id)
    WHERE ses_message_id IS NOT NULL;
-- threading: a stored reply whose In-Reply-To names a message that arrives later
CREATE INDEX messages_inbox_in_reply_to_idx ON messages (inbox_id, in_reply_to)
    WHERE in_reply_to IS NOT NULL;

CREATE TABLE message_recipients (
    id             UUID    PRIMARY KEY DEFAULT gen_random_uuid(),
    message_id     UUID    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    recipient_type TEXT    NOT NULL CHECK (recipient_type IN ('to', 'cc', 'bcc')),
    address        TEXT    NOT NULL,
    name           TEXT,
    position       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX message_recipients_message_idx ON message_recipients (message_id);

CREATE TABLE message_references (
    id            UUID    PRIMARY KEY DEFAULT gen_random_uuid(),
    message_id    UUID    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    referenced_id TEXT    NOT NULL,
    position      INTEGER NOT NULL
);
-- seed "message_references.referenced_id — threading lookups"
CREATE INDEX message_references_referenced_idx ON message_references (referenced_id);
CREATE INDEX message_references_message_idx ON message_references (message_id);

CREATE TABLE attachments (
    id           UUID    PRIMARY KEY,
    message_id   UUID    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   BIGINT  NOT NULL CHECK (size_bytes >= 0),
    storage_key  TEXT    NOT NULL,
    content_id   TEXT,
    inline       BOOLEAN NOT NULL DEFAULT FALSE,
    position     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_message_idx ON attachments (message_id);

CREATE TABLE delivery_events (
    id             UUID        PRIMARY KEY,
    message_id     UUID        NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    ses_message_id TEXT,
    status         TEXT        NOT NULL
        CHECK (status IN ('pending', 'sent', 'delivered', 'bounced', 'complained', 'failed')),
    reason         TEXT,
    details        JSONB       NOT NULL DEFAULT '{}',
    created_at     TIMESTAMPTZ NOT NULL
);
-- seed "delivery_events.message_id — status queries" (in event order)
CREATE INDEX delivery_events_message_idx ON delivery_events (message_id, created_at, id);
-- seed "delivery_events.ses_message_id — telemetry correlation"
CREATE INDEX delivery_events_ses_message_id_idx ON delivery_events (ses_message_id)
    WHERE ses_message_id IS NOT NULL;

CREATE TABLE suppressed_addresses (
    -- the primary key is the seed's "suppressed_addresses.address — suppression checks" index
    address    TEXT        PRIMARY KEY,
    reason     TEXT        NOT NULL CHECK (reason IN ('bounce', 'complaint', 'manual')),
    detail     TEXT,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE webhook_endpoints (
    id              UUID        PRIMARY KEY,
    organization_id TEXT        NOT NULL,
    url             TEXT        NOT NULL,
    secret          TEXT        NOT NULL,
    events          TEXT[]      NOT NULL DEFAULT '{}',
    inbox_ids       UUID[],
    status          TEXT        NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'warning', 'disabled')),
    failure_count   INTEGER     NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
    last_success_at TIMESTAMPTZ,
    last_failure_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_org_idx ON webhook_endpoints (organization_id, created_at, id);

CREATE TABLE webhook_deliveries (
    id              UUID        PRIMARY KEY,
    endpoint_id     UUID        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type      TEXT        NOT NULL,
    payload         JSONB       NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL
);
-- seed "webhook_deliveries.status, next_attempt_at — dispatch polling"
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at, id);

CREATE TABLE auth_keys (
    id              UUID        PRIMARY KEY,
    organization_id TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    public_key_pem  TEXT        NOT NULL,
    algorithm       TEXT        NOT NULL CHECK (algorithm IN ('ES256', 'ES384', 'RS256')),
    created_at      TIMESTAMPTZ NOT NULL,
    revoked_at      TIMESTAMPTZ
);
-- seed "auth_keys.organization_id, algorithm — key lookups"
CREATE INDEX auth_keys_org_alg_idx ON auth_keys (organization_id, algorithm);

-- Send idempotency: (inbox, key) -> the message the first send produced. message_id has no
-- foreign key on purpose: the engine may record the key before the message row exists within
-- its transaction, and the row is only a pointer that expires.
CREATE TABLE idempotency_keys (
    inbox_id   UUID        NOT NULL REFERENCES inboxes (id),
    key        TEXT        NOT NULL,
    message_id UUID        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (inbox_id, key)
);
