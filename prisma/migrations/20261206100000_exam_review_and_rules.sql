-- migrate:up

-- The online exam's answers stay the trainee's own (docs/decisions/026-exam-review-and-data-minimisation.md).
--
-- 1. The school's retake rules: a pause after each finished attempt and a limit of attempts per calendar
--    day in Almaty. One row per school; the application's defaults (60 minutes, 3 a day) when absent.
CREATE TABLE exam_rules (
  school_id         uuid PRIMARY KEY REFERENCES school (id) ON DELETE CASCADE,
  cooldown_minutes  integer NOT NULL DEFAULT 60 CHECK (cooldown_minutes BETWEEN 0 AND 1440),
  daily_limit       integer NOT NULL DEFAULT 3 CHECK (daily_limit BETWEEN 1 AND 20),
  updated_by        uuid,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE exam_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE exam_rules FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON exam_rules TO avtomektep_app, avtomektep_operator;
CREATE POLICY exam_rules_app_all ON exam_rules FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY exam_rules_operator ON exam_rules FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
-- The cabinet shows the trainee when the next attempt opens.
GRANT SELECT ON exam_rules TO avtomektep_trainee;
CREATE POLICY exam_rules_trainee ON exam_rules FOR SELECT TO avtomektep_trainee USING (school_id = app_school_id());

-- 2. The review gives the correct option only of a question the trainee answered in a finished attempt:
--    an attempt finished empty reveals nothing. The function keeps its owner (avtomektep_definer,
--    20261206090000_definer_role.sql), which now also reads the attempt's answers.
GRANT SELECT (answers) ON exam_attempt TO avtomektep_definer;

CREATE OR REPLACE FUNCTION quiz_attempt_questions(p_attempt uuid)
RETURNS TABLE (question_id uuid, pos integer, text_kk text, text_ru text, options jsonb, has_image boolean, correct integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT q.id, x.pos::integer, q.text_kk, q.text_ru, q.options, q.image IS NOT NULL,
         CASE WHEN a.finished_at IS NOT NULL AND a.answers ? q.id::text THEN q.correct END
  FROM exam_attempt a
  CROSS JOIN LATERAL unnest(a.question_ids) WITH ORDINALITY AS x(qid, pos)
  JOIN question q ON q.id = x.qid AND q.school_id = a.school_id
  WHERE a.id = p_attempt AND a.school_id = app_school_id() AND a.trainee_id = app_trainee_id()
  ORDER BY x.pos
$$;

-- migrate:down
CREATE OR REPLACE FUNCTION quiz_attempt_questions(p_attempt uuid)
RETURNS TABLE (question_id uuid, pos integer, text_kk text, text_ru text, options jsonb, has_image boolean, correct integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT q.id, x.pos::integer, q.text_kk, q.text_ru, q.options, q.image IS NOT NULL,
         CASE WHEN a.finished_at IS NOT NULL THEN q.correct END
  FROM exam_attempt a
  CROSS JOIN LATERAL unnest(a.question_ids) WITH ORDINALITY AS x(qid, pos)
  JOIN question q ON q.id = x.qid AND q.school_id = a.school_id
  WHERE a.id = p_attempt AND a.school_id = app_school_id() AND a.trainee_id = app_trainee_id()
  ORDER BY x.pos
$$;
REVOKE SELECT (answers) ON exam_attempt FROM avtomektep_definer;
DROP TABLE IF EXISTS exam_rules;
