-- SES (and any provider that does the same) replaces the Message-ID of every message it sends
-- with its own (<ses-id@region.amazonses.com>), so replies name that id. The transport reports
-- it and mailcore records it here; threading finds a message by alias as by Message-ID
-- (ADR 0012). One alias per message, looked up per inbox.
CREATE TABLE message_aliases (
    message_id UUID PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    inbox_id   UUID NOT NULL,
    alias      TEXT NOT NULL
);
CREATE INDEX message_aliases_inbox_alias_idx ON message_aliases (inbox_id, alias);
