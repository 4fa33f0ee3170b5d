-- Evaluation datasets, runs and their per-item results. Portable SQL for H2 and PostgreSQL, named as Spring Data
-- derives the entity classes' names (see V1__ingestion.sql). JSON values are stored as text.

CREATE TABLE eval_dataset (
    id         VARCHAR(36)              PRIMARY KEY,
    name       VARCHAR(200)             NOT NULL,
    tenant     VARCHAR(64)              NOT NULL, -- where the corpus is indexed
    format     VARCHAR(16)              NOT NULL, -- jsonl or beir
    item_count INTEGER                  NOT NULL,
    created_by VARCHAR(128)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE eval_item (
    id         VARCHAR(80)  PRIMARY KEY, -- dataset id:sequence
    dataset_id VARCHAR(36)  NOT NULL REFERENCES eval_dataset (id) ON DELETE CASCADE,
    seq        INTEGER      NOT NULL,
    item_id    VARCHAR(200) NOT NULL,
    question   VARCHAR      NOT NULL,
    answers    VARCHAR      NOT NULL, -- JSON array of reference answers, possibly empty
    relevant   VARCHAR      NOT NULL, -- JSON object: document id -> graded relevance, possibly empty
    CONSTRAINT eval_item_dataset_seq UNIQUE (dataset_id, seq)
);

CREATE TABLE eval_run (
    id          VARCHAR(36)              PRIMARY KEY,
    dataset_id  VARCHAR(36)              NOT NULL REFERENCES eval_dataset (id) ON DELETE CASCADE,
    name        VARCHAR(200)             NOT NULL,
    config      VARCHAR                  NOT NULL, -- JSON: model, prompt, retrieval settings
    status      VARCHAR(16)              NOT NULL, -- queued, running, finished, failed
    total       INTEGER                  NOT NULL,
    done        INTEGER                  NOT NULL,
    error       VARCHAR(2000),
    created_by  VARCHAR(128)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE eval_result (
    id                VARCHAR(80)  PRIMARY KEY, -- run id:sequence
    run_id            VARCHAR(36)  NOT NULL REFERENCES eval_run (id) ON DELETE CASCADE,
    seq               INTEGER      NOT NULL,
    item_id           VARCHAR(200) NOT NULL,
    retrieved         VARCHAR      NOT NULL, -- JSON array of document ids, best first
    answer            VARCHAR,
    metrics           VARCHAR      NOT NULL, -- JSON object: metric -> value
    latency_ms        BIGINT       NOT NULL,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    error             VARCHAR(2000),
    CONSTRAINT eval_result_run_seq UNIQUE (run_id, seq)
);
