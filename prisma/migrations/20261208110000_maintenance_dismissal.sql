-- migrate:up

-- A person hides an announced maintenance window (docs/decisions/030-role-aware-landing-and-notices.md): the
-- announcement stays hidden for them in every school they work in, until the window begins — a window under way
-- is shown whatever was hidden. Not a tenant table: a window is the platform's, and so is the person's "hide";
-- RLS lets the app see and write only the signed-in user's own rows.
CREATE TABLE maintenance_dismissal (
  user_id        uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  maintenance_id uuid NOT NULL REFERENCES maintenance_window (id) ON DELETE CASCADE,
  dismissed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, maintenance_id)
);

GRANT SELECT, INSERT ON maintenance_dismissal TO avtomektep_app;
GRANT SELECT ON maintenance_dismissal TO avtomektep_operator;

ALTER TABLE maintenance_dismissal ENABLE ROW LEVEL SECURITY;
ALTER TABLE maintenance_dismissal FORCE ROW LEVEL SECURITY;
CREATE POLICY maintenance_dismissal_app ON maintenance_dismissal FOR ALL TO avtomektep_app
  USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id());
CREATE POLICY maintenance_dismissal_operator ON maintenance_dismissal FOR SELECT TO avtomektep_operator USING (true);

SELECT grant_backup_access();

-- migrate:down

DROP TABLE IF EXISTS maintenance_dismissal;
