-- migrate:up

-- The four SECURITY DEFINER functions of the trainee's cabinet (self-booking's busy times and instructor, the
-- online exam's questions and pictures) ran as the migration's owner, on the assumption that the owner is not
-- held to RLS. On managed PostgreSQL the owner is neither superuser nor BYPASSRLS, and RLS is FORCED, so they
-- saw nothing. They now belong to avtomektep_definer: a role nobody logs in as, with SELECT on exactly the
-- columns they read and policies that open rows only for the trainee named by app.trainee_id in its school
-- (docs/decisions/018-function-owner-role.md).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'avtomektep_definer') THEN
    CREATE ROLE avtomektep_definer NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;
-- To give it the functions, the owner must be able to become it (and it must be allowed to own objects here).
GRANT avtomektep_definer TO CURRENT_USER;
GRANT USAGE, CREATE ON SCHEMA public TO avtomektep_definer;

GRANT SELECT (id, school_id, instructor_id) ON trainee TO avtomektep_definer;
GRANT SELECT (school_id, instructor_id, vehicle_id, status, starts_at, ends_at) ON driving_lesson TO avtomektep_definer;
GRANT SELECT (id, full_name) ON app_user TO avtomektep_definer;
GRANT SELECT (school_id, user_id, role) ON membership TO avtomektep_definer;
GRANT SELECT (school_id, user_id, licence_categories, instructor_cert_valid_until) ON staff_profile TO avtomektep_definer;
GRANT SELECT (id, school_id, trainee_id, question_ids, finished_at) ON exam_attempt TO avtomektep_definer;
GRANT SELECT (id, school_id, text_kk, text_ru, options, image, image_type, correct) ON question TO avtomektep_definer;

-- The calling trainee's own row.
CREATE POLICY trainee_definer ON trainee FOR SELECT TO avtomektep_definer
  USING (id = app_trainee_id() AND school_id = app_school_id());
-- Lessons of the trainee's school (the cars' busy times) and of the trainee's instructor in any school (the
-- exclusion constraint on instructors spans schools). The function returns only times from them.
CREATE POLICY driving_lesson_definer ON driving_lesson FOR SELECT TO avtomektep_definer
  USING (app_trainee_id() IS NOT NULL AND (
    school_id = app_school_id()
    OR instructor_id = (SELECT t.instructor_id FROM trainee t WHERE t.id = app_trainee_id() AND t.school_id = app_school_id())));
-- The trainee's instructor as the school knows them.
CREATE POLICY membership_definer ON membership FOR SELECT TO avtomektep_definer
  USING (app_trainee_id() IS NOT NULL AND school_id = app_school_id());
CREATE POLICY staff_profile_definer ON staff_profile FOR SELECT TO avtomektep_definer
  USING (app_trainee_id() IS NOT NULL AND school_id = app_school_id());
-- The trainee's own attempts, and the questions drawn into them.
CREATE POLICY exam_attempt_definer ON exam_attempt FOR SELECT TO avtomektep_definer
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());
CREATE POLICY question_definer ON question FOR SELECT TO avtomektep_definer
  USING (school_id = app_school_id() AND EXISTS (
    SELECT 1 FROM exam_attempt a
     WHERE a.school_id = app_school_id() AND a.trainee_id = app_trainee_id() AND question.id = ANY (a.question_ids)));

ALTER FUNCTION booking_busy_times(timestamptz, timestamptz) OWNER TO avtomektep_definer;
ALTER FUNCTION booking_instructor() OWNER TO avtomektep_definer;
ALTER FUNCTION quiz_attempt_questions(uuid) OWNER TO avtomektep_definer;
ALTER FUNCTION quiz_attempt_image(uuid) OWNER TO avtomektep_definer;
-- Owning is all it does: it creates nothing.
REVOKE CREATE ON SCHEMA public FROM avtomektep_definer;

-- The audit log refuses UPDATE and DELETE as statements too: under FORCE RLS an owner's UPDATE matches no row,
-- so the row trigger alone would let it pass silently instead of saying the log is append-only.
CREATE TRIGGER audit_log_append_only_statement BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- migrate:down

DROP TRIGGER IF EXISTS audit_log_append_only_statement ON audit_log;
ALTER FUNCTION booking_busy_times(timestamptz, timestamptz) OWNER TO CURRENT_USER;
ALTER FUNCTION booking_instructor() OWNER TO CURRENT_USER;
ALTER FUNCTION quiz_attempt_questions(uuid) OWNER TO CURRENT_USER;
ALTER FUNCTION quiz_attempt_image(uuid) OWNER TO CURRENT_USER;
DROP POLICY IF EXISTS question_definer ON question;
DROP POLICY IF EXISTS exam_attempt_definer ON exam_attempt;
DROP POLICY IF EXISTS staff_profile_definer ON staff_profile;
DROP POLICY IF EXISTS membership_definer ON membership;
DROP POLICY IF EXISTS driving_lesson_definer ON driving_lesson;
DROP POLICY IF EXISTS trainee_definer ON trainee;
REVOKE ALL ON trainee, driving_lesson, app_user, membership, staff_profile, exam_attempt, question FROM avtomektep_definer;
REVOKE ALL ON SCHEMA public FROM avtomektep_definer;
