-- Ingestion metadata. Portable SQL: the same script runs on H2 (the default) and PostgreSQL. Table names are the
-- entity classes' names in snake case, unquoted, as Spring Data derives them for both databases.
-- Lucene holds chunk text and vectors; these tables hold what was ingested, how, and what the API reported.

-- One row per document that is in the index, written only after the index commit that made it durable.
CREATE TABLE stored_document (
    id           VARCHAR(64)              PRIMARY KEY, -- hash of tenant and document id, see DocumentKey
    tenant       VARCHAR(64)              NOT NULL,
    document_id  VARCHAR(200)             NOT NULL,
    source       VARCHAR(1024)            NOT NULL,
    media_type   VARCHAR(255)             NOT NULL,
    title        VARCHAR(1024),
    content_hash VARCHAR(64)              NOT NULL,    -- SHA-256 of the uploaded bytes: same hash, nothing to do
    size_bytes   BIGINT                   NOT NULL,
    chunk_count  INTEGER                  NOT NULL,
    metadata     VARCHAR                  NOT NULL,    -- the client's metadata, a JSON object
    job_id       VARCHAR(36)              NOT NULL,    -- the job that indexed this version
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    indexed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT stored_document_tenant_document UNIQUE (tenant, document_id)
);

CREATE TABLE stored_chunk (
    id           VARCHAR(80)              PRIMARY KEY, -- document key ':' ordinal
    document_key VARCHAR(64)              NOT NULL REFERENCES stored_document (id) ON DELETE CASCADE,
    chunk_id     VARCHAR(220)             NOT NULL,    -- the chunk's id in the index
    ordinal      INTEGER                  NOT NULL,
    tokens       INTEGER                  NOT NULL,
    start_offset INTEGER                  NOT NULL,    -- character offsets into the cleaned text
    end_offset   INTEGER                  NOT NULL,
    heading      VARCHAR
);
CREATE INDEX stored_chunk_document ON stored_chunk (document_key);

CREATE TABLE ingestion_job (
    id             VARCHAR(36)              PRIMARY KEY,
    tenant         VARCHAR(64)              NOT NULL,
    document_count INTEGER                  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per document of a job: its staged upload, where it got to, and why it failed.
CREATE TABLE job_document (
    id           VARCHAR(36)              PRIMARY KEY,
    job_id       VARCHAR(36)              NOT NULL REFERENCES ingestion_job (id) ON DELETE CASCADE,
    seq          INTEGER                  NOT NULL,
    tenant       VARCHAR(64)              NOT NULL,
    document_id  VARCHAR(200)             NOT NULL,
    source       VARCHAR(1024)            NOT NULL,
    media_type   VARCHAR(255)             NOT NULL,
    content_hash VARCHAR(64)              NOT NULL,
    size_bytes   BIGINT                   NOT NULL,
    metadata     VARCHAR                  NOT NULL,
    staged_file  VARCHAR(1024)            NOT NULL,
    status       VARCHAR(16)              NOT NULL,
    chunks       INTEGER                  NOT NULL,
    embedded     INTEGER                  NOT NULL,
    indexed      INTEGER                  NOT NULL,
    error        VARCHAR,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX job_document_job ON job_document (job_id, seq);
CREATE INDEX job_document_status ON job_document (status);
