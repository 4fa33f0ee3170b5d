-- Prompt templates as immutable versions with labels that move (Langfuse/MLflow style: rag-default@production).
-- Portable SQL for H2 and PostgreSQL, named as Spring Data derives the entity classes' names (see V1__ingestion.sql).

CREATE TABLE prompt_version (
    id          VARCHAR(160)             PRIMARY KEY, -- name@version
    name        VARCHAR(128)             NOT NULL,
    version     INTEGER                  NOT NULL,
    text        VARCHAR                  NOT NULL,    -- Jinja: the user's turn
    system_text VARCHAR,                              -- Jinja: the system message, or none
    message     VARCHAR(1000),                        -- what changed and why, as a commit message says it
    created_by  VARCHAR(128)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT prompt_version_name_version UNIQUE (name, version)
);

-- A label points at one version, or splits requests across versions by weight (sticky per conversation).
CREATE TABLE prompt_label (
    id         VARCHAR(200)             PRIMARY KEY, -- name@label
    name       VARCHAR(128)             NOT NULL,
    label      VARCHAR(64)              NOT NULL,
    targets    VARCHAR(1000)            NOT NULL,    -- "3" or "3:90,4:10"
    updated_by VARCHAR(128)             NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every move of a label, so that a rollback knows where to go and people can see who changed what.
CREATE TABLE prompt_label_change (
    id         VARCHAR(36)              PRIMARY KEY,
    name       VARCHAR(128)             NOT NULL,
    label      VARCHAR(64)              NOT NULL,
    from_targets VARCHAR(1000),
    to_targets VARCHAR(1000)            NOT NULL,
    changed_by VARCHAR(128)             NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX prompt_label_change_name_label ON prompt_label_change (name, label, changed_at);
