-- migrate:up

-- The school's question bank and the online internal theory exam (docs/decisions/012-online-theory-exam.md).
--
-- question: the school's own questions in Kazakh and Russian, 2–6 options each, one correct; a picture
-- (png/jpeg/webp, ≤ 1 MB, checked by its magic bytes on the server) is optional. category NULL = for
-- every category. Questions are never deleted (attempts refer to them): they are deactivated.
--
-- exam_attempt: one online attempt of a trainee. The server draws 40 distinct active questions
-- (question_ids, in the order shown); started_at is the database's clock and deadline_at is 40 minutes
-- later — the timer is the server's. answers maps question id → chosen option index. On finishing, the
-- server counts the correct answers, writes an exam_result (kind theory, source online) and journals it.
--
-- The trainee role may read its own attempts and write `answers` of its own unfinished attempt before
-- the deadline — nothing else. It never reads the question table: the questions of its own attempt come
-- through quiz_attempt_questions(), which returns the correct option only once the attempt is finished.

ALTER TABLE exam_result ADD COLUMN source text NOT NULL DEFAULT 'staff' CHECK (source IN ('staff', 'online'));

CREATE TABLE question (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  category    text REFERENCES licence_category (code),
  text_kk     text NOT NULL CHECK (length(text_kk) BETWEEN 1 AND 1000),
  text_ru     text NOT NULL CHECK (length(text_ru) BETWEEN 1 AND 1000),
  image       bytea CHECK (octet_length(image) <= 1048576),
  image_type  text CHECK (image_type IN ('image/png', 'image/jpeg', 'image/webp')),
  options     jsonb NOT NULL CHECK (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) BETWEEN 2 AND 6),
  correct     integer NOT NULL CHECK (correct >= 0),
  active      boolean NOT NULL DEFAULT true,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT question_correct_in_options CHECK (correct < jsonb_array_length(options)),
  CONSTRAINT question_image_complete CHECK ((image IS NULL) = (image_type IS NULL))
);
CREATE INDEX question_school_id_active_idx ON question (school_id, active, category);

CREATE TABLE exam_attempt (
  id             uuid PRIMARY KEY,
  school_id      uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id     uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  question_ids   uuid[] NOT NULL CHECK (cardinality(question_ids) = 40),
  started_at     timestamptz NOT NULL DEFAULT now(),
  deadline_at    timestamptz NOT NULL,
  answers        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(answers) = 'object'),
  finished_at    timestamptz,
  correct_count  integer CHECK (correct_count BETWEEN 0 AND 40),
  passed         boolean,
  exam_result_id uuid REFERENCES exam_result (id),
  CONSTRAINT exam_attempt_finish_complete CHECK (
    (finished_at IS NULL AND correct_count IS NULL AND passed IS NULL AND exam_result_id IS NULL)
    OR (finished_at IS NOT NULL AND correct_count IS NOT NULL AND passed IS NOT NULL))
);
-- At most one unfinished attempt per trainee.
CREATE UNIQUE INDEX exam_attempt_one_open_key ON exam_attempt (trainee_id) WHERE finished_at IS NULL;
CREATE INDEX exam_attempt_school_id_trainee_id_idx ON exam_attempt (school_id, trainee_id, started_at);

GRANT SELECT, INSERT, UPDATE ON question, exam_attempt TO avtomektep_app, avtomektep_operator;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['question', 'exam_attempt'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_app USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id())', t || '_app_all', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true)', t || '_operator', t);
  END LOOP;
END
$$;

-- The trainee: its own attempts; `answers` only, of its own unfinished attempt, before the deadline.
GRANT SELECT ON exam_attempt TO avtomektep_trainee;
GRANT UPDATE (answers) ON exam_attempt TO avtomektep_trainee;
CREATE POLICY exam_attempt_trainee_read ON exam_attempt FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());
CREATE POLICY exam_attempt_trainee_answer ON exam_attempt FOR UPDATE TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id() AND finished_at IS NULL AND deadline_at > now())
  WITH CHECK (school_id = app_school_id() AND trainee_id = app_trainee_id() AND finished_at IS NULL AND deadline_at > now());

-- The questions of one of the trainee's own attempts, in order, without the correct option while the
-- attempt runs. Runs as the migration's owner; the filters below are the whole of what it may show.
CREATE FUNCTION quiz_attempt_questions(p_attempt uuid)
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

-- A picture of a question in one of the trainee's own attempts.
CREATE FUNCTION quiz_attempt_image(p_question uuid)
RETURNS TABLE (image bytea, image_type text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT q.image, q.image_type FROM question q
  WHERE q.id = p_question AND q.school_id = app_school_id() AND q.image IS NOT NULL
    AND EXISTS (SELECT 1 FROM exam_attempt a
                WHERE a.school_id = app_school_id() AND a.trainee_id = app_trainee_id() AND p_question = ANY (a.question_ids))
$$;

REVOKE ALL ON FUNCTION quiz_attempt_questions(uuid), quiz_attempt_image(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quiz_attempt_questions(uuid), quiz_attempt_image(uuid) TO avtomektep_trainee;

-- migrate:down
DROP FUNCTION IF EXISTS quiz_attempt_image(uuid);
DROP FUNCTION IF EXISTS quiz_attempt_questions(uuid);
DROP TABLE IF EXISTS exam_attempt, question CASCADE;
ALTER TABLE exam_result DROP COLUMN IF EXISTS source;
