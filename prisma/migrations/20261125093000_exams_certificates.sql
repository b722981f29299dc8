-- migrate:up

-- Internal exams, their corrections, and certificates of completion (свидетельство).
--
-- exam_result: one row per attempt. The attempt number (1, 2, … per trainee per kind) is computed by
-- the server while it holds the trainee's row lock; the unique key is the final word. entered_at is
-- the database's clock, never a date a person typed. A correction changes the row and keeps the old
-- and the new values, who, when and why in exam_result_correction (and in the journal).
--
-- certificate: numbered per school by certificate_counter. Issuing locks the school's counter row in
-- the same transaction as the insert, so two certificates issued at the same instant get consecutive
-- numbers, and a rolled-back issue gives its number back: no gaps, no duplicates. A cancelled
-- certificate keeps its number, with who, when and why.

CREATE TYPE exam_kind AS ENUM ('theory', 'practical');

CREATE TABLE exam_result (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id  uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  kind        exam_kind NOT NULL,
  attempt     integer NOT NULL CHECK (attempt >= 1),
  score       integer NOT NULL CHECK (score >= 0),
  max_score   integer NOT NULL CHECK (max_score > 0),
  passed      boolean NOT NULL,
  note        text CHECK (length(note) <= 500),
  entered_at  timestamptz NOT NULL DEFAULT now(),
  entered_by  uuid NOT NULL,
  corrected_at timestamptz,
  corrected_by uuid,
  UNIQUE (trainee_id, kind, attempt)
);
CREATE INDEX exam_result_school_id_entered_at_idx ON exam_result (school_id, entered_at);
CREATE INDEX exam_result_school_id_trainee_id_idx ON exam_result (school_id, trainee_id, kind, attempt);

CREATE TABLE exam_result_correction (
  id             uuid PRIMARY KEY,
  school_id      uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  exam_result_id uuid NOT NULL REFERENCES exam_result (id) ON DELETE CASCADE,
  old_score      integer NOT NULL,
  old_max_score  integer NOT NULL,
  old_passed     boolean NOT NULL,
  old_note       text,
  new_score      integer NOT NULL,
  new_max_score  integer NOT NULL,
  new_passed     boolean NOT NULL,
  new_note       text,
  reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  corrected_by   uuid NOT NULL,
  corrected_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exam_result_correction_school_id_result_idx ON exam_result_correction (school_id, exam_result_id, corrected_at);

CREATE TABLE certificate_counter (
  school_id   uuid PRIMARY KEY REFERENCES school (id) ON DELETE CASCADE,
  last_number integer NOT NULL CHECK (last_number >= 0)
);

CREATE TABLE certificate (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  number        integer NOT NULL CHECK (number >= 1),
  trainee_id    uuid NOT NULL REFERENCES trainee (id),
  category      text NOT NULL REFERENCES licence_category (code),
  issued_at     timestamptz NOT NULL DEFAULT now(),
  issued_by     uuid NOT NULL,
  cancelled_at  timestamptz,
  cancelled_by  uuid,
  cancel_reason text CHECK (length(cancel_reason) <= 500),
  UNIQUE (school_id, number),
  CONSTRAINT certificate_cancel_complete CHECK (
    (cancelled_at IS NULL AND cancelled_by IS NULL AND cancel_reason IS NULL)
    OR (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND length(cancel_reason) >= 1))
);
-- One active certificate per trainee per category.
CREATE UNIQUE INDEX certificate_active_trainee_category_key ON certificate (school_id, trainee_id, category) WHERE cancelled_at IS NULL;
CREATE INDEX certificate_school_id_trainee_id_idx ON certificate (school_id, trainee_id);

-- Privileges and row-level security.
GRANT SELECT, INSERT, UPDATE ON exam_result, certificate_counter, certificate TO avtomektep_app, avtomektep_operator;
GRANT SELECT, INSERT ON exam_result_correction TO avtomektep_app, avtomektep_operator;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['exam_result', 'exam_result_correction', 'certificate_counter', 'certificate'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_app USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id())', t || '_app_all', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true)', t || '_operator', t);
  END LOOP;
END
$$;

-- The trainee's cabinet may read the trainee's own results and certificates.
GRANT SELECT ON exam_result, certificate TO avtomektep_trainee;
CREATE POLICY exam_result_trainee ON exam_result FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());
CREATE POLICY certificate_trainee ON certificate FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());

-- migrate:down
DROP TABLE IF EXISTS certificate, certificate_counter, exam_result_correction, exam_result CASCADE;
DROP TYPE IF EXISTS exam_kind;
