-- Conversations of POST /api/chat, kept per tenant so that a request with a conversation id continues it. Portable
-- SQL for H2 and PostgreSQL, named as Spring Data derives the entity classes' names (see V1__ingestion.sql).

CREATE TABLE chat_conversation (
    id              VARCHAR(64)              PRIMARY KEY, -- hash of tenant and conversation id
    tenant          VARCHAR(64)              NOT NULL,
    conversation_id VARCHAR(128)             NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT chat_conversation_tenant_id UNIQUE (tenant, conversation_id)
);

-- The user's questions and the assistant's answers, in order; the prompts' sources are not stored.
CREATE TABLE conversation_message (
    id               VARCHAR(36)              PRIMARY KEY,
    conversation_key VARCHAR(64)              NOT NULL REFERENCES chat_conversation (id) ON DELETE CASCADE,
    seq              INTEGER                  NOT NULL,
    role             VARCHAR(16)              NOT NULL,
    content          VARCHAR                  NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT conversation_message_seq UNIQUE (conversation_key, seq)
);
