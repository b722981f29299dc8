-- migrate:up

-- Which logins are trainees where. A permissive policy "user_id = app_user_id()" on trainee itself
-- was OR-ed into every school query on trainee and stopped PostgreSQL from using the
-- (school_id, …) indexes: the list at 100,000 trainees went from an index scan to a full scan.
-- This small table carries that lookup instead; trainee keeps only the school policy.
CREATE TABLE trainee_login (
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id uuid NOT NULL UNIQUE REFERENCES trainee (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, school_id)
);
CREATE INDEX trainee_login_school_id_idx ON trainee_login (school_id);
ALTER TABLE trainee_login ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainee_login FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON trainee_login TO avtomektep_app, avtomektep_operator;
CREATE POLICY trainee_login_app_select ON trainee_login FOR SELECT TO avtomektep_app
  USING (user_id = app_user_id() OR school_id = app_school_id());
CREATE POLICY trainee_login_app_write ON trainee_login FOR INSERT TO avtomektep_app WITH CHECK (school_id = app_school_id());
CREATE POLICY trainee_login_app_delete ON trainee_login FOR DELETE TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY trainee_login_operator ON trainee_login FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

INSERT INTO trainee_login (user_id, school_id, trainee_id)
  SELECT user_id, school_id, id FROM trainee WHERE user_id IS NOT NULL
  ON CONFLICT DO NOTHING;

DROP POLICY IF EXISTS trainee_app_own ON trainee;
DROP POLICY IF EXISTS school_app_trainee ON school;
CREATE POLICY school_app_trainee ON school FOR SELECT TO avtomektep_app
  USING (EXISTS (SELECT 1 FROM trainee_login tl WHERE tl.school_id = school.id AND tl.user_id = app_user_id()));

-- migrate:down
DROP POLICY IF EXISTS school_app_trainee ON school;
CREATE POLICY school_app_trainee ON school FOR SELECT TO avtomektep_app
  USING (EXISTS (SELECT 1 FROM trainee t WHERE t.school_id = school.id AND t.user_id = app_user_id()));
CREATE POLICY trainee_app_own ON trainee FOR SELECT TO avtomektep_app USING (user_id = app_user_id());
DROP TABLE IF EXISTS trainee_login;
