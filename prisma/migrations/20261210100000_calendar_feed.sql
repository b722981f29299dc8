-- migrate:up

-- Calendar feeds (docs/decisions/033-calendar-feeds.md): a secret iCal address per instructor and per trainee,
-- so their driving lessons appear in the phone's calendar. The address carries a random token; only its
-- SHA-256 is stored (as every other secret link here). A feed belongs to one school and one owner: an
-- instructor (user_id) or a trainee (trainee_id). Revoking keeps the row (who and when, for the audit) and
-- the address stops working; at most one live feed per owner, so "a new link" revokes the old one first.
CREATE TABLE calendar_feed (
  id              uuid PRIMARY KEY,
  school_id       uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  owner_kind      text NOT NULL CHECK (owner_kind IN ('instructor', 'trainee')),
  user_id         uuid REFERENCES app_user (id) ON DELETE CASCADE,
  trainee_id      uuid REFERENCES trainee (id) ON DELETE CASCADE,
  token_hash      text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_by      uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  revoked_by      uuid,
  last_fetched_at timestamptz,
  CONSTRAINT calendar_feed_owner CHECK (
    CASE owner_kind WHEN 'instructor' THEN user_id IS NOT NULL AND trainee_id IS NULL
                    ELSE trainee_id IS NOT NULL AND user_id IS NULL END)
);
CREATE INDEX calendar_feed_school_id_idx ON calendar_feed (school_id, owner_kind, created_at);
CREATE UNIQUE INDEX calendar_feed_live_instructor_key ON calendar_feed (school_id, user_id)
  WHERE revoked_at IS NULL AND owner_kind = 'instructor';
CREATE UNIQUE INDEX calendar_feed_live_trainee_key ON calendar_feed (school_id, trainee_id)
  WHERE revoked_at IS NULL AND owner_kind = 'trainee';

GRANT SELECT, INSERT ON calendar_feed TO avtomektep_app, avtomektep_operator;
GRANT UPDATE (revoked_at, revoked_by, last_fetched_at) ON calendar_feed TO avtomektep_app, avtomektep_operator;
-- A school's withdrawal, once in effect, deletes its feeds (server/privacy/anonymise.ts).
GRANT DELETE ON calendar_feed TO avtomektep_operator;
ALTER TABLE calendar_feed ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_feed FORCE ROW LEVEL SECURITY;
CREATE POLICY calendar_feed_app_all ON calendar_feed FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
-- The feed's address names no school: the operator role finds the feed of a token hash, then the lessons are
-- read in that school's scope.
CREATE POLICY calendar_feed_operator ON calendar_feed FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- The trainee makes and revokes their own feed in the cabinet: their own row only.
GRANT SELECT, INSERT ON calendar_feed TO avtomektep_trainee;
GRANT UPDATE (revoked_at, revoked_by) ON calendar_feed TO avtomektep_trainee;
CREATE POLICY calendar_feed_trainee ON calendar_feed FOR ALL TO avtomektep_trainee
  USING (school_id = app_school_id() AND owner_kind = 'trainee' AND trainee_id = app_trainee_id())
  WITH CHECK (school_id = app_school_id() AND owner_kind = 'trainee' AND trainee_id = app_trainee_id()
              AND created_by = app_user_id());
-- ...and that is audited: the trainee may write calendar entries of their own school, as themselves.
GRANT INSERT ON audit_log TO avtomektep_trainee;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO avtomektep_trainee;
CREATE POLICY audit_log_trainee_insert ON audit_log FOR INSERT TO avtomektep_trainee
  WITH CHECK (school_id = app_school_id() AND actor_user_id = app_user_id() AND action LIKE 'calendar.%');

SELECT grant_backup_access();

-- migrate:down
DROP POLICY IF EXISTS audit_log_trainee_insert ON audit_log;
REVOKE USAGE ON SEQUENCE audit_log_id_seq FROM avtomektep_trainee;
REVOKE INSERT ON audit_log FROM avtomektep_trainee;
DROP TABLE IF EXISTS calendar_feed;
