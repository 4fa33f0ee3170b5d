-- Fine-tuning: training files (datasets), jobs, their events and checkpoints. Portable SQL for H2 and PostgreSQL,
-- named as Spring Data derives the entity classes' names (see V1__ingestion.sql). Every row carries its tenant;
-- every query is scoped to it. File contents live in <data-dir>/fine-tuning/files, checkpoints and adapters in
-- <data-dir>/fine-tuning/jobs/<job id>.

-- One uploaded or built JSONL file in OpenAI's chat fine-tuning format. Files are immutable; a file with the same
-- dataset name as an earlier one of the tenant is that dataset's next version.
CREATE TABLE training_file (
    id         VARCHAR(40)              PRIMARY KEY, -- file-<24 hex>
    tenant     VARCHAR(64)              NOT NULL,
    filename   VARCHAR(512)             NOT NULL,
    purpose    VARCHAR(32)              NOT NULL,    -- fine-tune
    dataset    VARCHAR(512)             NOT NULL,    -- the file name without its extension, or the builder's name
    version    INTEGER                  NOT NULL,
    origin     VARCHAR(32)              NOT NULL,    -- upload, feedback or documents
    bytes      BIGINT                   NOT NULL,
    examples   INTEGER                  NOT NULL,
    sha256     VARCHAR(64)              NOT NULL,
    created_by VARCHAR(200)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT training_file_dataset_version UNIQUE (tenant, dataset, version)
);
CREATE INDEX training_file_tenant ON training_file (tenant, created_at);

-- One fine-tuning job, in OpenAI's life: validating_files, queued, running, succeeded, failed or cancelled.
CREATE TABLE fine_tuning_job (
    id                VARCHAR(40)              PRIMARY KEY, -- ftjob-<24 hex>
    tenant            VARCHAR(64)              NOT NULL,
    model             VARCHAR(200)             NOT NULL,    -- the base version, name@version
    training_file     VARCHAR(40)              NOT NULL,
    validation_file   VARCHAR(40),
    suffix            VARCHAR(64),
    hyperparameters   VARCHAR                  NOT NULL,    -- JSON: n_epochs, batch_size, learning_rate_multiplier, lora
    seed              BIGINT                   NOT NULL,
    status            VARCHAR(24)              NOT NULL,
    total_steps       INTEGER                  NOT NULL,
    completed_steps   INTEGER                  NOT NULL,
    trained_tokens    BIGINT                   NOT NULL,
    train_loss        DOUBLE PRECISION,
    validation_loss   DOUBLE PRECISION,
    fine_tuned_model  VARCHAR(200),                         -- the adapter's name in the registry, once succeeded
    estimate          VARCHAR,                              -- JSON: tokens, examples, estimated minutes
    error             VARCHAR(4000),
    created_by        VARCHAR(200)             NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE,
    finished_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX fine_tuning_job_tenant ON fine_tuning_job (tenant, created_at);
CREATE INDEX fine_tuning_job_status ON fine_tuning_job (status, created_at);

-- What a job said, in order: status changes, progress with losses, tokens/s and ETA, pauses for serving traffic.
CREATE TABLE fine_tuning_event (
    id         VARCHAR(40)              PRIMARY KEY, -- ftevent-<24 hex>
    job_id     VARCHAR(40)              NOT NULL REFERENCES fine_tuning_job (id) ON DELETE CASCADE,
    seq        BIGINT                   NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    level      VARCHAR(8)               NOT NULL,    -- info, warn, error
    message    VARCHAR(2000)            NOT NULL,
    type       VARCHAR(16)              NOT NULL,    -- message or metrics
    data       VARCHAR,                              -- JSON object for metrics events
    CONSTRAINT fine_tuning_event_job_seq UNIQUE (job_id, seq)
);

-- The checkpoints a job saved (a running job resumes from its last one after a restart).
CREATE TABLE fine_tuning_checkpoint (
    id              VARCHAR(40)              PRIMARY KEY, -- ftckpt-<24 hex>
    job_id          VARCHAR(40)              NOT NULL REFERENCES fine_tuning_job (id) ON DELETE CASCADE,
    step            INTEGER                  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    path            VARCHAR(2048)            NOT NULL,
    train_loss      DOUBLE PRECISION         NOT NULL,
    validation_loss DOUBLE PRECISION,
    trained_tokens  BIGINT                   NOT NULL,    -- tokens trained on up to this step
    CONSTRAINT fine_tuning_checkpoint_job_step UNIQUE (job_id, step)
);
