-- migrate:up

-- Trainee self-booking (docs/decisions/011-trainee-self-booking.md).
--
-- 1. The school's rules for it, one row per school (the application's defaults when absent).
CREATE TABLE booking_rules (
  school_id      uuid PRIMARY KEY REFERENCES school (id) ON DELETE CASCADE,
  enabled        boolean NOT NULL DEFAULT true,
  opens_minute   integer NOT NULL DEFAULT 480 CHECK (opens_minute BETWEEN 0 AND 1439),
  closes_minute  integer NOT NULL DEFAULT 1200 CHECK (closes_minute BETWEEN 1 AND 1440),
  slot_minutes   integer NOT NULL DEFAULT 90 CHECK (slot_minutes BETWEEN 30 AND 240),
  window_days    integer NOT NULL DEFAULT 14 CHECK (window_days BETWEEN 1 AND 60),
  cancel_hours   integer NOT NULL DEFAULT 24 CHECK (cancel_hours BETWEEN 0 AND 168),
  weekly_limit   integer NOT NULL DEFAULT 3 CHECK (weekly_limit BETWEEN 1 AND 14),
  updated_by     uuid,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (closes_minute > opens_minute)
);
ALTER TABLE booking_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE booking_rules FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON booking_rules TO avtomektep_app, avtomektep_operator;
CREATE POLICY booking_rules_app_all ON booking_rules FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY booking_rules_operator ON booking_rules FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- 2. What the trainee role may now do, each grant pinned to the trainee's own rows.
GRANT SELECT ON booking_rules TO avtomektep_trainee;
CREATE POLICY booking_rules_trainee ON booking_rules FOR SELECT TO avtomektep_trainee USING (school_id = app_school_id());

-- Book: a lesson of their own, with their own instructor, in the future, booked by themselves.
GRANT INSERT ON driving_lesson TO avtomektep_trainee;
CREATE POLICY driving_lesson_trainee_insert ON driving_lesson FOR INSERT TO avtomektep_trainee
  WITH CHECK (school_id = app_school_id() AND trainee_id = app_trainee_id() AND status = 'booked'
              AND booked_by = app_user_id() AND starts_at > now()
              AND instructor_id = (SELECT t.instructor_id FROM trainee t WHERE t.id = app_trainee_id()));
-- Cancel: only the status, only of their own booked future lesson, only to 'cancelled'.
GRANT UPDATE (status) ON driving_lesson TO avtomektep_trainee;
CREATE POLICY driving_lesson_trainee_cancel ON driving_lesson FOR UPDATE TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id() AND status = 'booked' AND starts_at > now())
  WITH CHECK (school_id = app_school_id() AND trainee_id = app_trainee_id() AND status = 'cancelled');

-- The journal entry of that booking or cancellation (the head row serialises the school's chain).
GRANT SELECT, INSERT ON journal_head TO avtomektep_trainee;
GRANT UPDATE (seq, hash) ON journal_head TO avtomektep_trainee;
CREATE POLICY journal_head_trainee ON journal_head FOR ALL TO avtomektep_trainee
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
GRANT INSERT ON journal_entry TO avtomektep_trainee;
CREATE POLICY journal_entry_trainee_insert ON journal_entry FOR INSERT TO avtomektep_trainee
  WITH CHECK (school_id = app_school_id() AND subject_id = app_trainee_id()
              AND kind IN ('lesson.booked', 'lesson.cancelled') AND actor_user_id = app_user_id());

-- The e-mail and SMS notices (outbox rows), and the language of the trainee's login for them.
GRANT INSERT ON outbox_event TO avtomektep_trainee;
GRANT USAGE ON SEQUENCE outbox_event_id_seq TO avtomektep_trainee;
GRANT SELECT (locale) ON app_user TO avtomektep_trainee;

-- 3. Narrow reads of what the trainee may not see row by row: only times, never whose lesson.
-- SECURITY DEFINER (owner: the migration's role, which is not held to RLS), pinned to the calling
-- trainee through app_school_id()/app_trainee_id().

-- The busy times of the trainee's instructor (in every school: the exclusion constraint spans
-- schools) and of the school's vehicles, between two instants.
CREATE FUNCTION booking_busy_times(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (what text, vehicle_id uuid, starts_at timestamptz, ends_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT 'instructor', NULL::uuid, l.starts_at, l.ends_at
    FROM driving_lesson l
    JOIN trainee t ON t.id = app_trainee_id() AND t.school_id = app_school_id()
   WHERE l.instructor_id = t.instructor_id AND l.status <> 'cancelled'
     AND l.starts_at < p_to AND l.ends_at > p_from
  UNION ALL
  SELECT 'vehicle', l.vehicle_id, l.starts_at, l.ends_at
    FROM driving_lesson l
   WHERE app_trainee_id() IS NOT NULL AND l.school_id = app_school_id() AND l.status <> 'cancelled'
     AND l.starts_at < p_to AND l.ends_at > p_from
$$;

-- The trainee's own instructor as this school knows them: name, whether still an instructor here,
-- licence categories and certificate date.
CREATE FUNCTION booking_instructor()
RETURNS TABLE (user_id uuid, full_name text, is_instructor boolean, licence_categories text[], cert_valid_until date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT u.id, u.full_name,
         EXISTS (SELECT 1 FROM membership m WHERE m.school_id = t.school_id AND m.user_id = u.id AND m.role = 'instructor'),
         coalesce(p.licence_categories, '{}'::text[]), p.instructor_cert_valid_until
    FROM trainee t
    JOIN app_user u ON u.id = t.instructor_id
    LEFT JOIN staff_profile p ON p.school_id = t.school_id AND p.user_id = u.id
   WHERE t.id = app_trainee_id() AND t.school_id = app_school_id()
$$;
REVOKE ALL ON FUNCTION booking_busy_times(timestamptz, timestamptz), booking_instructor() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION booking_busy_times(timestamptz, timestamptz), booking_instructor() TO avtomektep_trainee;

-- migrate:down
DROP FUNCTION IF EXISTS booking_instructor();
DROP FUNCTION IF EXISTS booking_busy_times(timestamptz, timestamptz);
REVOKE SELECT (locale) ON app_user FROM avtomektep_trainee;
REVOKE USAGE ON SEQUENCE outbox_event_id_seq FROM avtomektep_trainee;
REVOKE INSERT ON outbox_event FROM avtomektep_trainee;
DROP POLICY IF EXISTS journal_entry_trainee_insert ON journal_entry;
REVOKE INSERT ON journal_entry FROM avtomektep_trainee;
DROP POLICY IF EXISTS journal_head_trainee ON journal_head;
REVOKE ALL ON journal_head FROM avtomektep_trainee;
DROP POLICY IF EXISTS driving_lesson_trainee_cancel ON driving_lesson;
DROP POLICY IF EXISTS driving_lesson_trainee_insert ON driving_lesson;
REVOKE INSERT, UPDATE ON driving_lesson FROM avtomektep_trainee;
DROP TABLE IF EXISTS booking_rules;
