-- migrate:up

-- Trainee import from XLSX: the uploaded file, its preview (per-row reasons) and the progress of the
-- job that applies it. One row per upload; the job inserts all good rows in one transaction and
-- reports progress through done_rows from a separate connection while that transaction is open.

CREATE TYPE trainee_import_status AS ENUM ('uploaded', 'queued', 'running', 'done', 'failed');

CREATE TABLE trainee_import (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  file_name   text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  file        bytea NOT NULL,
  status      trainee_import_status NOT NULL DEFAULT 'uploaded',
  total_rows  integer NOT NULL DEFAULT 0 CHECK (total_rows >= 0),
  good_rows   integer NOT NULL DEFAULT 0 CHECK (good_rows >= 0),
  done_rows   integer NOT NULL DEFAULT 0 CHECK (done_rows >= 0),
  report      jsonb NOT NULL DEFAULT '{}',
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  error       text
);
CREATE INDEX trainee_import_school_id_created_at_idx ON trainee_import (school_id, created_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON trainee_import TO avtomektep_app, avtomektep_operator;

ALTER TABLE trainee_import ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainee_import FORCE ROW LEVEL SECURITY;
CREATE POLICY trainee_import_app_all ON trainee_import FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY trainee_import_operator ON trainee_import FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- migrate:down
DROP TABLE IF EXISTS trainee_import;
DROP TYPE IF EXISTS trainee_import_status;
