-- migrate:up

-- The school's own text of the training contract with a trainee, one per language. Without a row
-- the default text that ships in code (server/exports/contract-template.ts) is used.
CREATE TABLE contract_template (
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  locale     locale NOT NULL,
  body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 30000),
  updated_by uuid NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (school_id, locale)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON contract_template TO avtomektep_app, avtomektep_operator;

ALTER TABLE contract_template ENABLE ROW LEVEL SECURITY;
ALTER TABLE contract_template FORCE ROW LEVEL SECURITY;
CREATE POLICY contract_template_app_all ON contract_template FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY contract_template_operator ON contract_template FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- migrate:down
DROP TABLE IF EXISTS contract_template;
