-- Ingestion across Hanul replicas that share one metadata database: a job entry is worked on by the replica that
-- holds its lease. The replica that accepts a job takes the lease of its entries in the same transaction and renews
-- it while it lives; when a lease lapses (its replica died) another replica claims the entry and resumes it. A
-- replica that starts again under the same id takes its own entries back at once. Rows from before this migration
-- have no owner and are claimed by the first replica that looks. Portable SQL, as V1.
ALTER TABLE job_document ADD COLUMN lease_owner VARCHAR(128);
ALTER TABLE job_document ADD COLUMN lease_expires_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX job_document_lease ON job_document (status, lease_expires_at);
