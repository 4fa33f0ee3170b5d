-- API keys (dev.hanul.security). Only a SHA-256 hash of each key is kept: the key itself is shown once, when it is
-- created. Keys are 256-bit random, so a fast hash is enough (nobody can guess one to test against the hash).
-- Portable SQL for H2 and PostgreSQL, named as Spring Data derives the entity class's name (ApiKey -> api_key).

CREATE TABLE api_key (
    id                  VARCHAR(16)              PRIMARY KEY, -- the public part of the key, after "hanul_"
    name                VARCHAR(128)             NOT NULL,
    role                VARCHAR(16)              NOT NULL,    -- ADMIN, USER or READ_ONLY
    tenant              VARCHAR(64),                          -- null: every tenant (admin keys always)
    secret_hash         VARCHAR(64)              NOT NULL,    -- hex SHA-256 of the whole key
    requests_per_minute INTEGER,                              -- null: hanul.security.limits.requests-per-minute
    tokens_per_day      BIGINT,                               -- null: hanul.security.limits.tokens-per-day
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at          TIMESTAMP WITH TIME ZONE
);
