-- migrate:up

-- Consents and security events (offer 7, 10.9–10.11, 4.3.4, 5.2, 6.2).

-- A written request to withdraw the personal-data consent (7.5): it takes effect 30 calendar days after it
-- is received (effective_on, an Almaty date). The consent rows' withdrawn_at is set to that moment when the
-- request is accepted, so "withdrawn" is computed on read (withdrawn_at <= now()) and no job is needed.
CREATE TABLE consent_withdrawal (
  id           uuid PRIMARY KEY,
  school_id    uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  requested_by uuid NOT NULL REFERENCES app_user (id),
  text         text NOT NULL CHECK (length(text) BETWEEN 10 AND 5000),
  received_at  timestamptz NOT NULL DEFAULT now(),
  effective_on date NOT NULL,
  status       text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'cancelled')),
  cancelled_at timestamptz,
  CHECK (effective_on >= (received_at AT TIME ZONE 'Asia/Almaty')::date + 30)
);
CREATE INDEX consent_withdrawal_school_id_received_at_idx ON consent_withdrawal (school_id, received_at DESC);
-- One open request per school at a time.
CREATE UNIQUE INDEX consent_withdrawal_one_open_idx ON consent_withdrawal (school_id) WHERE status = 'accepted';

-- The one-click marketing opt-out link of a user (10.11): a random token that only allows opting out.
CREATE TABLE unsubscribe_token (
  token      text PRIMARY KEY CHECK (length(token) >= 32),
  user_id    uuid NOT NULL UNIQUE REFERENCES app_user (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at    timestamptz
);

-- "My account was compromised" (4.3.4, 6.2): the exact time of the report; until reset_at is set the user
-- can't sign in (a password reset is required). Actions before reported_at remain the user's.
CREATE TABLE security_report (
  id             uuid PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  reported_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  via            text NOT NULL CHECK (via IN ('account', 'email_link')),
  sessions_ended integer NOT NULL DEFAULT 0,
  ip             text,
  user_agent     text,
  reset_at       timestamptz
);
CREATE INDEX security_report_user_id_idx ON security_report (user_id) WHERE reset_at IS NULL;
CREATE INDEX security_report_reported_at_idx ON security_report (reported_at DESC);

-- The link in every "new sign-in" e-mail: works without a session, once, for 30 days (hash stored only).
CREATE TABLE security_link (
  token_hash text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX security_link_user_id_idx ON security_link (user_id);

-- The operator's deactivations of a user (5.2), with reasons; app_user.deactivated_at is the live flag.
CREATE TABLE user_deactivation (
  id                uuid PRIMARY KEY,
  user_id           uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  reason            text NOT NULL CHECK (length(reason) BETWEEN 3 AND 1000),
  deactivated_at    timestamptz NOT NULL DEFAULT now(),
  deactivated_by    uuid NOT NULL REFERENCES app_user (id),
  reactivated_at    timestamptz,
  reactivated_by    uuid REFERENCES app_user (id),
  reactivate_reason text
);
CREATE INDEX user_deactivation_user_id_idx ON user_deactivation (user_id, deactivated_at DESC);
CREATE UNIQUE INDEX user_deactivation_one_open_idx ON user_deactivation (user_id) WHERE reactivated_at IS NULL;

-- Privileges. Global tables carry no school: reached by token or user id only.
GRANT SELECT, INSERT, UPDATE ON security_report, security_link TO avtomektep_app, avtomektep_operator;
GRANT SELECT, INSERT, UPDATE ON unsubscribe_token, user_deactivation TO avtomektep_operator;
GRANT SELECT, INSERT, UPDATE ON consent_withdrawal TO avtomektep_app, avtomektep_operator;

ALTER TABLE consent_withdrawal ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent_withdrawal FORCE ROW LEVEL SECURITY;
CREATE POLICY consent_withdrawal_app_all ON consent_withdrawal FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY consent_withdrawal_operator ON consent_withdrawal FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- migrate:down
DROP TABLE IF EXISTS user_deactivation, security_link, security_report, unsubscribe_token, consent_withdrawal CASCADE;
