-- migrate:up

-- A trainee's contract price as a schedule of instalments (docs/decisions/042-tuition-instalments.md). The amounts
-- add up to the price in tiyn when the registrar sets the schedule; what is paid is the trainee's payments (the
-- ledger), applied to the earliest instalments in order, so a row holds no "paid" of its own. Setting a schedule
-- again replaces the rows in one transaction.
CREATE TABLE tuition_instalment (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id  uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  seq         integer NOT NULL CHECK (seq BETWEEN 1 AND 36),
  due_on      date NOT NULL,
  amount_tiyn bigint NOT NULL CHECK (amount_tiyn > 0),
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, trainee_id, seq)
);
CREATE INDEX tuition_instalment_school_id_due_on_idx ON tuition_instalment (school_id, due_on);

GRANT SELECT, INSERT, UPDATE, DELETE ON tuition_instalment TO avtomektep_app, avtomektep_operator;
GRANT SELECT ON tuition_instalment TO avtomektep_trainee;

ALTER TABLE tuition_instalment ENABLE ROW LEVEL SECURITY;
ALTER TABLE tuition_instalment FORCE ROW LEVEL SECURITY;
CREATE POLICY tuition_instalment_app_all ON tuition_instalment FOR ALL TO avtomektep_app
  USING (school_id = (SELECT app_school_id())) WITH CHECK (school_id = (SELECT app_school_id()));
CREATE POLICY tuition_instalment_operator ON tuition_instalment FOR ALL TO avtomektep_operator
  USING (true) WITH CHECK (true);
-- The trainee's cabinet shows the trainee their own schedule.
CREATE POLICY tuition_instalment_trainee ON tuition_instalment FOR SELECT TO avtomektep_trainee
  USING (school_id = (SELECT app_school_id()) AND trainee_id = (SELECT app_trainee_id()));

SELECT grant_backup_access();

-- migrate:down
DROP TABLE IF EXISTS tuition_instalment;
