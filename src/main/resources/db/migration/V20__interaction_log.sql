-- The interaction log (table interaction, as Spring Data names the entity Interaction): one row per request that reached a model, from every API (chat, OpenAI, TGI), written off the
-- request path by dev.hanul.monitoring.InteractionLog. Portable SQL for H2 and PostgreSQL. chunks and scores hold
-- JSON text (portable: H2's and PostgreSQL's JSON types differ). Numbered 20 to leave room for other features'
-- migrations.

CREATE TABLE interaction (
    id                   VARCHAR(64)              PRIMARY KEY, -- the request id (OpenAI's chatcmpl-…/cmpl-…)
    tenant               VARCHAR(64)              NOT NULL,
    api                  VARCHAR(32)              NOT NULL, -- chat, openai.chat, openai.completions, tgi
    model_name           VARCHAR(256)             NOT NULL, -- what the client asked for
    model_version        VARCHAR(256)             NOT NULL, -- name@version that answered
    template_name        VARCHAR(128),
    template_version     INTEGER,
    question             VARCHAR,
    prompt               VARCHAR,                           -- the prompt as sent; null when hanul.monitoring.interactions.store-prompt is false
    response             VARCHAR                  NOT NULL,
    finish_reason        VARCHAR(16)              NOT NULL,
    prompt_tokens        INTEGER,
    completion_tokens    INTEGER,
    cached_prompt_tokens INTEGER,
    ttft_ms              DOUBLE PRECISION,
    duration_ms          DOUBLE PRECISION         NOT NULL,
    chunks               VARCHAR,                           -- JSON: [{"id": …, "score": …}]
    scores               VARCHAR,                           -- JSON: quality scores, filled in later
    feedback_rating      VARCHAR(8),                        -- up, down
    feedback_comment     VARCHAR,
    feedback_at          TIMESTAMP WITH TIME ZONE,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX interaction_log_tenant_created ON interaction (tenant, created_at);
CREATE INDEX interaction_log_created ON interaction (created_at);
