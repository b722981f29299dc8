-- migrate:up

-- Roles. Role creation is cluster-wide and idempotent; LOGIN and passwords are set by the
-- deployment (scripts/db.ts in dev/tests, the DBA in production), never stored here.
--   avtomektep_app      : the web request path. Subject to RLS; sees one school per transaction.
--   avtomektep_operator : the operator console and background jobs. Crosses tenants only through
--                         policies written for it below — RLS stays on for it too.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'avtomektep_app') THEN
    CREATE ROLE avtomektep_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'avtomektep_operator') THEN
    CREATE ROLE avtomektep_operator NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO avtomektep_app, avtomektep_operator;

CREATE TYPE school_status AS ENUM ('trial', 'active', 'suspended', 'deactivated');
CREATE TYPE school_kind AS ENUM ('legal_entity', 'sole_proprietor');
CREATE TYPE member_role AS ENUM ('director', 'registrar', 'teacher', 'instructor', 'inspector');
CREATE TYPE operator_role AS ENUM ('super_admin', 'billing', 'support');
CREATE TYPE locale AS ENUM ('kk', 'ru');
CREATE TYPE consent_kind AS ENUM ('personal_data', 'reviews', 'marketing');
CREATE TYPE trainee_status AS ENUM ('applicant', 'enrolled', 'training', 'exams', 'graduated', 'expelled', 'transferred');
CREATE TYPE sex AS ENUM ('male', 'female');

-- The request's tenant and user, set per transaction with set_config(..., true).
-- Missing setting -> NULL -> no row matches: a request that forgot to set its school sees nothing.
CREATE FUNCTION app_school_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.school_id', true), '')::uuid $$;
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

CREATE TABLE school (
  id                 uuid PRIMARY KEY,
  slug               text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$'),
  name               text NOT NULL,
  kind               school_kind NOT NULL,
  bin_iin            text NOT NULL UNIQUE CHECK (bin_iin ~ '^[0-9]{12}$'),
  director_name      text NOT NULL,
  phone              text NOT NULL,
  email              text NOT NULL,
  address            text,
  status             school_status NOT NULL DEFAULT 'trial',
  trial_ends_at      timestamptz,
  deactivated_reason text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
  id                  uuid PRIMARY KEY,
  email               text NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash       text,
  full_name           text NOT NULL,
  phone               text,
  locale              locale NOT NULL DEFAULT 'kk',
  email_verified_at   timestamptz,
  operator_role       operator_role,
  deactivated_at      timestamptz,
  password_changed_at timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE session (
  id         text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  ip         text,
  user_agent text
);
CREATE INDEX session_user_id_idx ON session (user_id);

CREATE TABLE membership (
  id         uuid PRIMARY KEY,
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  role       member_role NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, user_id, role)
);
CREATE INDEX membership_user_id_idx ON membership (user_id);

CREATE TABLE invitation (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  email         text NOT NULL CHECK (email = lower(email)),
  role          member_role NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  invited_by_id uuid NOT NULL,
  expires_at    timestamptz NOT NULL,
  accepted_at   timestamptz,
  revoked_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invitation_school_id_created_at_idx ON invitation (school_id, created_at);

CREATE TABLE one_time_token (
  token_hash text PRIMARY KEY,
  purpose    text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification')),
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX one_time_token_user_id_idx ON one_time_token (user_id);

CREATE TABLE offer_version (
  id             uuid PRIMARY KEY,
  version        integer NOT NULL UNIQUE,
  text_kk        text NOT NULL,
  text_ru        text NOT NULL,
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  summary_kk     text,
  summary_ru     text,
  published_at   timestamptz NOT NULL DEFAULT now(),
  effective_from timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE offer_acceptance (
  id               uuid PRIMARY KEY,
  school_id        uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  user_id          uuid NOT NULL REFERENCES app_user (id),
  offer_version_id uuid NOT NULL REFERENCES offer_version (id),
  text_sha256      text NOT NULL,
  accepted_at      timestamptz NOT NULL DEFAULT now(),
  ip               text,
  user_agent       text,
  UNIQUE (school_id, offer_version_id)
);

CREATE TABLE consent (
  id               uuid PRIMARY KEY,
  school_id        uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  user_id          uuid NOT NULL REFERENCES app_user (id),
  kind             consent_kind NOT NULL,
  offer_version_id uuid REFERENCES offer_version (id),
  text_sha256      text,
  granted_at       timestamptz NOT NULL DEFAULT now(),
  withdrawn_at     timestamptz,
  ip               text,
  user_agent       text
);
CREATE INDEX consent_school_id_kind_idx ON consent (school_id, kind);

CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  school_id     uuid,
  actor_user_id uuid,
  action        text NOT NULL,
  ip            text,
  user_agent    text,
  details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_school_id_at_idx ON audit_log (school_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

CREATE TABLE trainee (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  iin           text NOT NULL CHECK (iin ~ '^[0-9]{12}$'),
  last_name     text NOT NULL,
  first_name    text NOT NULL,
  middle_name   text,
  latin_name    text,
  birth_date    date NOT NULL,
  sex           sex NOT NULL,
  phone         text,
  email         text,
  address       text,
  category      text NOT NULL,
  status        trainee_status NOT NULL DEFAULT 'applicant',
  created_by_id uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, iin)
);
CREATE INDEX trainee_school_id_last_name_first_name_id_idx ON trainee (school_id, last_name, first_name, id);
CREATE INDEX trainee_school_id_created_at_id_idx ON trainee (school_id, created_at, id);

CREATE TABLE outbox_event (
  id            bigserial PRIMARY KEY,
  queue         text NOT NULL,
  job_name      text NOT NULL,
  job_id        text NOT NULL UNIQUE,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz
);
CREATE INDEX outbox_event_pending_idx ON outbox_event (id) WHERE dispatched_at IS NULL;

CREATE TABLE email_delivery (
  job_id     text PRIMARY KEY,
  to_address text NOT NULL,
  subject    text NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE platform_setting (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO platform_setting (key, value) VALUES ('trial_days', '14');

-- Wake the outbox relay at once instead of waiting for its next poll.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- ---------------------------------------------------------------------------------------------
-- Privileges. Global tables (users, sessions, offer texts) carry no school and are reached by
-- primary key or unique e-mail only; tenant tables are guarded by RLS below.
GRANT SELECT, INSERT, UPDATE, DELETE ON app_user, session, one_time_token TO avtomektep_app, avtomektep_operator;
GRANT SELECT ON offer_version, platform_setting TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON offer_version, platform_setting TO avtomektep_operator;
GRANT SELECT, INSERT, UPDATE ON school TO avtomektep_app, avtomektep_operator;
GRANT SELECT, INSERT, UPDATE, DELETE ON membership, invitation, offer_acceptance, consent, trainee
  TO avtomektep_app, avtomektep_operator;
GRANT SELECT, INSERT ON audit_log TO avtomektep_app, avtomektep_operator;
GRANT INSERT ON outbox_event TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON outbox_event, email_delivery TO avtomektep_operator;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO avtomektep_app, avtomektep_operator;

-- ---------------------------------------------------------------------------------------------
-- Row-level security: ENABLE and FORCE on every tenant table (the owner is held to it too).
ALTER TABLE school           ENABLE ROW LEVEL SECURITY;
ALTER TABLE school           FORCE ROW LEVEL SECURITY;
ALTER TABLE membership       ENABLE ROW LEVEL SECURITY;
ALTER TABLE membership       FORCE ROW LEVEL SECURITY;
ALTER TABLE invitation       ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitation       FORCE ROW LEVEL SECURITY;
ALTER TABLE offer_acceptance ENABLE ROW LEVEL SECURITY;
ALTER TABLE offer_acceptance FORCE ROW LEVEL SECURITY;
ALTER TABLE consent          ENABLE ROW LEVEL SECURITY;
ALTER TABLE consent          FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log        ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log        FORCE ROW LEVEL SECURITY;
ALTER TABLE trainee          ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainee          FORCE ROW LEVEL SECURITY;

-- School: a user sees the school of the request, and the schools they are a member of (for the
-- switcher). Sign-up inserts a new school after setting app.school_id to its fresh id.
CREATE POLICY school_app_select ON school FOR SELECT TO avtomektep_app
  USING (id = app_school_id()
         OR EXISTS (SELECT 1 FROM membership m WHERE m.school_id = school.id AND m.user_id = app_user_id()));
CREATE POLICY school_app_insert ON school FOR INSERT TO avtomektep_app WITH CHECK (id = app_school_id());
CREATE POLICY school_app_update ON school FOR UPDATE TO avtomektep_app
  USING (id = app_school_id()) WITH CHECK (id = app_school_id());

-- Membership: own memberships are visible across schools (switcher); writes only in the request's school.
CREATE POLICY membership_app_select ON membership FOR SELECT TO avtomektep_app
  USING (school_id = app_school_id() OR user_id = app_user_id());
CREATE POLICY membership_app_insert ON membership FOR INSERT TO avtomektep_app WITH CHECK (school_id = app_school_id());
CREATE POLICY membership_app_update ON membership FOR UPDATE TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY membership_app_delete ON membership FOR DELETE TO avtomektep_app USING (school_id = app_school_id());

-- Invitation: the school's own; an invitee holding the token may read that one invitation.
CREATE POLICY invitation_app_all ON invitation FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY invitation_app_by_token ON invitation FOR SELECT TO avtomektep_app
  USING (token_hash = current_setting('app.invite_token_hash', true));

CREATE POLICY offer_acceptance_app_all ON offer_acceptance FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY consent_app_all ON consent FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY trainee_app_all ON trainee FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());

-- Audit log: a school reads its own entries; anyone writes entries for their own school or none.
CREATE POLICY audit_log_app_select ON audit_log FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY audit_log_app_insert ON audit_log FOR INSERT TO avtomektep_app
  WITH CHECK (school_id IS NULL OR school_id = app_school_id());

-- The operator's explicit cross-tenant path.
CREATE POLICY school_operator ON school FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY membership_operator ON membership FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY invitation_operator ON invitation FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY offer_acceptance_operator ON offer_acceptance FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY consent_operator ON consent FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY trainee_operator ON trainee FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY audit_log_operator_select ON audit_log FOR SELECT TO avtomektep_operator USING (true);
CREATE POLICY audit_log_operator_insert ON audit_log FOR INSERT TO avtomektep_operator WITH CHECK (true);

-- migrate:down
-- Forward-only in production; down exists for local experiments on a throwaway database.
DROP TABLE IF EXISTS platform_setting, email_delivery, outbox_event, trainee, audit_log, consent,
  offer_acceptance, offer_version, one_time_token, invitation, membership, session, app_user, school CASCADE;
DROP FUNCTION IF EXISTS outbox_notify, audit_log_is_append_only, app_user_id, app_school_id;
DROP TYPE IF EXISTS sex, trainee_status, consent_kind, locale, operator_role, member_role, school_kind, school_status;
