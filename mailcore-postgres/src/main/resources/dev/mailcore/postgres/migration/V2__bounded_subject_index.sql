-- A thread's subject is its first message's base subject, which may be as long as a header
-- allows (64 KB by default). A B-tree entry cannot exceed about 2.7 KB, so indexing the whole
-- subject made PostgreSQL refuse such a message (SQLState 54000). The index now holds a bounded
-- prefix (200 characters, at most 800 bytes); the subject lookup compares the whole subject on
-- the rows the prefix finds.
DROP INDEX threads_inbox_subject_idx;
CREATE INDEX threads_inbox_subject_idx ON threads (inbox_id, left(subject, 200), updated_at DESC)
    WHERE deleted_at IS NULL;
