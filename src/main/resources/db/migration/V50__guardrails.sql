-- Guardrail decisions recorded with each interaction (dev.hanul.guard): JSON text, [{"stage", "check", "action",
-- "score", "detail"}], null when no guardrail fired. Portable SQL for H2 and PostgreSQL. Numbered 50 to leave room.
ALTER TABLE interaction ADD COLUMN guardrails VARCHAR;
