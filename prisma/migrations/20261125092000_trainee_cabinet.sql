-- migrate:up

-- The trainee's cabinet. A trainee's request runs as the role avtomektep_trainee (SET LOCAL ROLE
-- inside the request's transaction), with app.school_id and app.trainee_id set. That role may only
-- SELECT, and its policies show the trainee's own rows and nothing of anyone else — enforced by
-- PostgreSQL, whatever a procedure asks for.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'avtomektep_trainee') THEN
    CREATE ROLE avtomektep_trainee NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;
-- The app role switches to it per request; NOINHERIT keeps the trainee role's policies off the app role.
GRANT avtomektep_trainee TO avtomektep_app;
ALTER ROLE avtomektep_app NOINHERIT;
GRANT USAGE ON SCHEMA public TO avtomektep_trainee;

CREATE FUNCTION app_trainee_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.trainee_id', true), '')::uuid $$;

-- Who can get into a cabinet: the trainee's login, linked by the school's invitation.
CREATE TABLE trainee_invite (
  token_hash  text PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id  uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  email       text NOT NULL CHECK (email = lower(email)),
  invited_by  uuid NOT NULL,
  expires_at  timestamptz NOT NULL,
  accepted_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trainee_invite_school_id_trainee_id_idx ON trainee_invite (school_id, trainee_id);
ALTER TABLE trainee_invite ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainee_invite FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON trainee_invite TO avtomektep_app, avtomektep_operator;
CREATE POLICY trainee_invite_app_all ON trainee_invite FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY trainee_invite_app_by_token ON trainee_invite FOR SELECT TO avtomektep_app
  USING (token_hash = current_setting('app.invite_token_hash', true));
CREATE POLICY trainee_invite_operator ON trainee_invite FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- A signed-in user sees their own trainee records across schools (to find their cabinets), and the
-- schools those records belong to — the same way members see their memberships.
CREATE POLICY trainee_app_own ON trainee FOR SELECT TO avtomektep_app USING (user_id = app_user_id());
CREATE POLICY school_app_trainee ON school FOR SELECT TO avtomektep_app
  USING (EXISTS (SELECT 1 FROM trainee t WHERE t.school_id = school.id AND t.user_id = app_user_id()));

-- The trainee role: read-only, own rows.
GRANT SELECT ON school, trainee, driving_lesson, trainee_payment, trainee_status_change, journal_entry, programme,
  programme_template, licence_category, vehicle, study_group TO avtomektep_trainee;
GRANT SELECT (id, full_name) ON app_user TO avtomektep_trainee;

CREATE POLICY school_trainee ON school FOR SELECT TO avtomektep_trainee USING (id = app_school_id());
CREATE POLICY trainee_trainee ON trainee FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND id = app_trainee_id());
CREATE POLICY driving_lesson_trainee ON driving_lesson FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());
CREATE POLICY trainee_payment_trainee ON trainee_payment FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());
CREATE POLICY trainee_status_change_trainee ON trainee_status_change FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());
CREATE POLICY journal_entry_trainee ON journal_entry FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND subject_id = app_trainee_id());
CREATE POLICY programme_trainee ON programme FOR SELECT TO avtomektep_trainee USING (school_id = app_school_id());
CREATE POLICY vehicle_trainee ON vehicle FOR SELECT TO avtomektep_trainee USING (school_id = app_school_id());
CREATE POLICY study_group_trainee ON study_group FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND id = (SELECT t.group_id FROM trainee t WHERE t.id = app_trainee_id()));

-- migrate:down
DROP POLICY IF EXISTS study_group_trainee ON study_group;
DROP POLICY IF EXISTS vehicle_trainee ON vehicle;
DROP POLICY IF EXISTS programme_trainee ON programme;
DROP POLICY IF EXISTS journal_entry_trainee ON journal_entry;
DROP POLICY IF EXISTS trainee_status_change_trainee ON trainee_status_change;
DROP POLICY IF EXISTS trainee_payment_trainee ON trainee_payment;
DROP POLICY IF EXISTS driving_lesson_trainee ON driving_lesson;
DROP POLICY IF EXISTS trainee_trainee ON trainee;
DROP POLICY IF EXISTS school_trainee ON school;
DROP POLICY IF EXISTS school_app_trainee ON school;
DROP POLICY IF EXISTS trainee_app_own ON trainee;
DROP TABLE IF EXISTS trainee_invite;
DROP FUNCTION IF EXISTS app_trainee_id;
