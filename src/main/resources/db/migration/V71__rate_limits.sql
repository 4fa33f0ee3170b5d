-- Rate limits shared by replicas on PostgreSQL (PostgresLimitStore); with the embedded H2 database the limits are kept
-- in memory and these tables stay empty. Portable SQL for H2 and PostgreSQL (BYTEA is a binary type in both).

-- One row per token bucket, as Bucket4j's PostgreSQL proxy manager reads and writes it: the bucket's serialized state.
CREATE TABLE rate_limit_bucket (
    id         VARCHAR(200) PRIMARY KEY, -- the key's id, what the bucket limits and its limit: 'abc:requests:600'
    state      BYTEA,
    expires_at BIGINT
);

-- What each key used, added to by every replica.
CREATE TABLE rate_limit_usage (
    key_id            VARCHAR(200) PRIMARY KEY,
    requests          BIGINT       NOT NULL,
    rejected          BIGINT       NOT NULL,
    prompt_tokens     BIGINT       NOT NULL,
    completion_tokens BIGINT       NOT NULL
);
