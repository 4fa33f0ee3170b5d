-- A fine-tuning job's evaluation before and after training. Portable SQL for H2 and PostgreSQL.

-- A chat item: the conversation (JSON array of {role, content}, ending with the user's turn) that the model answers
-- as it is, without retrieval, its reference answer in answers. Null for a question over the tenant's documents.
ALTER TABLE eval_item ADD COLUMN messages VARCHAR;

-- JSON: what the job evaluates on (its held-out split or an evaluation dataset), and the evaluation runs on the base
-- version and on the adapter with their mean scores. Null when the job was created without an evaluation.
ALTER TABLE fine_tuning_job ADD COLUMN evaluation VARCHAR;
