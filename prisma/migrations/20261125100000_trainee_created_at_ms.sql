-- migrate:up

-- "Newest first" pages by (created_at, id). JavaScript dates carry milliseconds, PostgreSQL
-- microseconds: keep created_at to the millisecond so a cursor compares exactly.
UPDATE trainee SET created_at = date_trunc('milliseconds', created_at) WHERE created_at <> date_trunc('milliseconds', created_at);
ALTER TABLE trainee ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now());

-- migrate:down
ALTER TABLE trainee ALTER COLUMN created_at SET DEFAULT now();
