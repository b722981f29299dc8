-- migrate:up

-- Theory lessons by group (subject, teacher, time, room) and attendance per trainee. The exclusion
-- constraints make it impossible to put one group, or one teacher, in two lessons at once — the
-- teacher's spans schools (one person can't teach two rooms at once), the group's belongs to one
-- school anyway. Attendance is one row per lesson and trainee, stamped with the database clock.

CREATE TABLE theory_lesson (
  id           uuid PRIMARY KEY,
  school_id    uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  group_id     uuid NOT NULL REFERENCES study_group (id) ON DELETE CASCADE,
  subject_code text NOT NULL CHECK (length(subject_code) BETWEEN 1 AND 40),
  teacher_id   uuid NOT NULL REFERENCES app_user (id),
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '8 hours'),
  room         text CHECK (room IS NULL OR length(room) <= 60),
  created_by   uuid NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT theory_lesson_group_busy EXCLUDE USING gist
    (group_id WITH =, tstzrange(starts_at, ends_at) WITH &&),
  CONSTRAINT theory_lesson_teacher_busy EXCLUDE USING gist
    (teacher_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
CREATE INDEX theory_lesson_school_id_starts_at_idx ON theory_lesson (school_id, starts_at);
CREATE INDEX theory_lesson_school_id_group_id_idx ON theory_lesson (school_id, group_id, starts_at);

CREATE TABLE theory_attendance (
  id         uuid PRIMARY KEY,
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  lesson_id  uuid NOT NULL REFERENCES theory_lesson (id) ON DELETE CASCADE,
  trainee_id uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  present    boolean NOT NULL,
  marked_by  uuid NOT NULL,
  marked_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (lesson_id, trainee_id)
);
CREATE INDEX theory_attendance_school_id_trainee_id_idx ON theory_attendance (school_id, trainee_id);

-- Privileges and row-level security, as for the training tables.
GRANT SELECT, INSERT, UPDATE, DELETE ON theory_lesson, theory_attendance TO avtomektep_app, avtomektep_operator;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['theory_lesson', 'theory_attendance'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_app USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id())', t || '_app_all', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true)', t || '_operator', t);
  END LOOP;
END
$$;

-- The trainee's cabinet reads (never writes) their own attendance and their own group's lessons.
GRANT SELECT ON theory_lesson, theory_attendance TO avtomektep_trainee;
CREATE POLICY theory_attendance_trainee ON theory_attendance FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());
CREATE POLICY theory_lesson_trainee ON theory_lesson FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND group_id = (SELECT t.group_id FROM trainee t WHERE t.id = app_trainee_id()));

-- migrate:down
DROP TABLE IF EXISTS theory_attendance, theory_lesson CASCADE;
