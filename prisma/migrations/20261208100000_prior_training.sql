-- migrate:up

-- Adoption of a running school (docs/decisions/029-training-before-adoption.md): what a trainee did on paper
-- before the school started keeping them here, entered by the school's office once, as such.
--
-- prior_training: one row per trainee — the date training started and the theory and driving hours already
-- done (stored in minutes, like the rest of the hours). Who entered it and when (the database's clock), and
-- who changed it last; every entry and change is also in the journal with the previous values and a reason.
-- Never a system mark: lessons and attendance stay what the system saw.
--
-- exam_result: an internal exam passed before adoption is a result of source 'adoption' — it counts as an
-- attempt, carries the day it was taken (taken_on, as written on paper) beside entered_at (when it was
-- typed here), may lack a score (an import gives only the date), is always a pass, and is one per trainee
-- per kind. Being the office's statement rather than a mark, the office may withdraw it (journaled); no other
-- result can be deleted.
CREATE TABLE prior_training (
  trainee_id      uuid PRIMARY KEY REFERENCES trainee (id) ON DELETE CASCADE,
  school_id       uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  started_on      date,
  theory_minutes  integer NOT NULL DEFAULT 0 CHECK (theory_minutes BETWEEN 0 AND 30000),
  driving_minutes integer NOT NULL DEFAULT 0 CHECK (driving_minutes BETWEEN 0 AND 30000),
  entered_by      uuid NOT NULL,
  entered_at      timestamptz NOT NULL DEFAULT now(),
  corrected_by    uuid,
  corrected_at    timestamptz
);
CREATE INDEX prior_training_school_id_trainee_id_idx ON prior_training (school_id, trainee_id);

GRANT SELECT, INSERT, UPDATE ON prior_training TO avtomektep_app, avtomektep_operator;
ALTER TABLE prior_training ENABLE ROW LEVEL SECURITY;
ALTER TABLE prior_training FORCE ROW LEVEL SECURITY;
CREATE POLICY prior_training_app_all ON prior_training FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY prior_training_operator ON prior_training FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
-- The cabinet shows the trainee their hours, these included.
GRANT SELECT ON prior_training TO avtomektep_trainee;
CREATE POLICY prior_training_trainee ON prior_training FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());

ALTER TABLE exam_result DROP CONSTRAINT exam_result_source_check;
ALTER TABLE exam_result ADD CONSTRAINT exam_result_source_check CHECK (source IN ('staff', 'online', 'adoption'));
ALTER TABLE exam_result ADD COLUMN taken_on date;
ALTER TABLE exam_result ALTER COLUMN score DROP NOT NULL, ALTER COLUMN max_score DROP NOT NULL;
ALTER TABLE exam_result ADD CONSTRAINT exam_result_adoption CHECK (
  CASE WHEN source = 'adoption' THEN taken_on IS NOT NULL AND passed AND (score IS NULL) = (max_score IS NULL)
       ELSE taken_on IS NULL AND score IS NOT NULL AND max_score IS NOT NULL END);
CREATE UNIQUE INDEX exam_result_adopted_key ON exam_result (trainee_id, kind) WHERE source = 'adoption';

GRANT DELETE ON exam_result TO avtomektep_app;
CREATE POLICY exam_result_app_delete_adopted ON exam_result AS RESTRICTIVE FOR DELETE TO avtomektep_app
  USING (source = 'adoption');

-- migrate:down
DROP POLICY IF EXISTS exam_result_app_delete_adopted ON exam_result;
REVOKE DELETE ON exam_result FROM avtomektep_app;
DELETE FROM exam_result WHERE source = 'adoption';
DROP INDEX IF EXISTS exam_result_adopted_key;
ALTER TABLE exam_result DROP CONSTRAINT IF EXISTS exam_result_adoption;
ALTER TABLE exam_result ALTER COLUMN score SET NOT NULL, ALTER COLUMN max_score SET NOT NULL;
ALTER TABLE exam_result DROP COLUMN IF EXISTS taken_on;
ALTER TABLE exam_result DROP CONSTRAINT exam_result_source_check;
ALTER TABLE exam_result ADD CONSTRAINT exam_result_source_check CHECK (source IN ('staff', 'online'));
DROP TABLE IF EXISTS prior_training;
