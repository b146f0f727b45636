-- Threading that does not depend on arrival order (ADR 0003).
--  * messages.thread_*: why the message is in its thread (Threads.explain): the rule, the
--    Message-ID and thread it matched, and the threads its arrival merged. NULL for messages
--    stored before this version.
--  * thread_redirects: a thread merged into another (or emptied by a host's move) keeps its id
--    usable: old_id leads to survivor_id. When a survivor is merged in turn, the rows that led
--    to it are pointed at the new survivor, so one lookup always suffices.
ALTER TABLE messages
    ADD COLUMN thread_rule          TEXT,
    ADD COLUMN thread_match_message TEXT,
    ADD COLUMN thread_match_thread  UUID,
    ADD COLUMN thread_merged        UUID[];

CREATE TABLE thread_redirects (
    old_id        UUID        PRIMARY KEY,
    survivor_id   UUID        NOT NULL,
    inbox_id      UUID        NOT NULL REFERENCES inboxes (id),
    redirected_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX thread_redirects_survivor_idx ON thread_redirects (survivor_id);
