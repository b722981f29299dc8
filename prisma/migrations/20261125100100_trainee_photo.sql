-- migrate:up

-- The trainee's photo (optional): kept apart from the register row so lists never carry bytes.
CREATE TABLE trainee_photo (
  trainee_id   uuid PRIMARY KEY REFERENCES trainee (id) ON DELETE CASCADE,
  school_id    uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  content      bytea NOT NULL CHECK (octet_length(content) <= 1048576),
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
  updated_by   uuid NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trainee_photo_school_id_idx ON trainee_photo (school_id);
ALTER TABLE trainee_photo ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainee_photo FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON trainee_photo TO avtomektep_app, avtomektep_operator;
GRANT SELECT ON trainee_photo TO avtomektep_trainee;
CREATE POLICY trainee_photo_app_all ON trainee_photo FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY trainee_photo_operator ON trainee_photo FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY trainee_photo_trainee ON trainee_photo FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id() AND trainee_id = app_trainee_id());

-- migrate:down
DROP TABLE IF EXISTS trainee_photo;
