-- PostgresBlobStore: raw mail and attachments in the database, for deployments without an
-- object store. One row per blob in blobs, its content in blob_chunks rows of up to the
-- store's chunk size (1 MiB by default), written as the content is read and read back one
-- chunk per query, so neither direction holds a whole blob in memory. A put inserts a new
-- blob_id and deletes the row it replaces in the same transaction; the chunks of a replaced or
-- deleted blob go with it (ON DELETE CASCADE).
CREATE TABLE blobs (
    namespace    text        NOT NULL CHECK (namespace IN ('raw', 'attachments')),
    key          text        NOT NULL,
    blob_id      uuid        NOT NULL UNIQUE,
    content_type text        NOT NULL,
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace, key)
);

CREATE TABLE blob_chunks (
    blob_id uuid    NOT NULL REFERENCES blobs (blob_id) ON DELETE CASCADE,
    seq     integer NOT NULL CHECK (seq >= 0),
    data    bytea   NOT NULL,
    PRIMARY KEY (blob_id, seq)
);
