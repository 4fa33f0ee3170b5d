-- The model registry: versions of models, the aliases requests name, every change made to them, and the answers of
-- shadow versions. Portable SQL for H2 and PostgreSQL, named as Spring Data derives the entity classes' names (see
-- V1__ingestion.sql). Which versions are loaded is in-process state; the phase column is its last known value.

-- One row per version of a model: where its file comes from, what it is, and where it is in its life.
CREATE TABLE model_version (
    id               VARCHAR(200)             PRIMARY KEY, -- name '@' version, as requests name it
    name             VARCHAR(160)             NOT NULL,
    version          INTEGER                  NOT NULL,
    source_kind      VARCHAR(16)              NOT NULL,    -- LOCAL, HUGGING_FACE or URL
    source           VARCHAR(2048)            NOT NULL,    -- the path, the repository, or the address
    source_file      VARCHAR(1024),                        -- the file in a Hugging Face repository
    sha256           VARCHAR(64),                          -- known once the file was read (or given up front)
    size_bytes       BIGINT,
    architecture     VARCHAR(64),
    quantization     VARCHAR(32),                          -- the weight type holding most of the bytes
    context_length   INTEGER,
    kv_cache_bytes   BIGINT,                               -- this version's KV cache; null for hanul.model.kv-cache
    default_sampling VARCHAR,                              -- a JSON object, or null
    notes            VARCHAR,
    created_by       VARCHAR(200)             NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    phase            VARCHAR(16)              NOT NULL,
    detail           VARCHAR,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT model_version_name_version UNIQUE (name, version)
);

-- default -> smollm2@3, or a split: 'smollm2@3=90,smollm2@4=10'; shadow gets a copy of every request.
CREATE TABLE model_alias (
    name       VARCHAR(160)             PRIMARY KEY,
    targets    VARCHAR(2048)            NOT NULL,
    shadow     VARCHAR(200),
    updated_by VARCHAR(200)             NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Who changed what, when, from what to what: registrations, loads, unloads, alias moves, splits, rollbacks, shadows.
CREATE TABLE registry_change (
    id         VARCHAR(36)              PRIMARY KEY,
    seq        BIGINT                   NOT NULL,          -- the order of changes within one process's clock tick
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor      VARCHAR(200)             NOT NULL,
    action     VARCHAR(32)              NOT NULL,
    subject    VARCHAR(200)             NOT NULL,          -- an alias's name or a version's id
    from_value VARCHAR(2048),
    to_value   VARCHAR(2048)
);
CREATE INDEX registry_change_subject ON registry_change (subject, seq);

-- What a shadow version answered next to what the primary answered for the same request.
CREATE TABLE shadow_result (
    id             VARCHAR(36)              PRIMARY KEY,
    request_id     VARCHAR(200)             NOT NULL,
    requested      VARCHAR(200)             NOT NULL,
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    primary_id     VARCHAR(200)             NOT NULL,
    primary_text   VARCHAR                  NOT NULL,
    primary_end    VARCHAR(1024)            NOT NULL,
    primary_millis BIGINT                   NOT NULL,
    shadow_id      VARCHAR(200)             NOT NULL,
    shadow_text    VARCHAR                  NOT NULL,
    shadow_end     VARCHAR(1024)            NOT NULL,
    shadow_millis  BIGINT                   NOT NULL
);
CREATE INDEX shadow_result_shadow ON shadow_result (shadow_id, recorded_at);
