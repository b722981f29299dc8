-- migrate:up

-- A school sign-up waits here until its director opens the link e-mailed to the address given: only then are
-- the school, the user, the acceptance of the offer and the consent created. The sign-up form answers the same
-- whether or not the address already has an account (its owner is e-mailed instead), so the form no longer tells
-- which e-mails are registered (docs/decisions/024-auth-hardening.md). Not a tenant table: no school exists yet.
CREATE TABLE signup_request (
  id               uuid PRIMARY KEY,
  token_hash       text NOT NULL UNIQUE,
  email            text NOT NULL,
  locale           locale NOT NULL,
  -- the form as submitted, minus the password: school name, kind, BIN/IIN, director, phone, marketing
  details          jsonb NOT NULL,
  password_hash    text NOT NULL,
  offer_version_id uuid NOT NULL REFERENCES offer_version (id),
  -- the acceptance (3.3–3.6) happened on submitting the form: when, from where
  requested_at     timestamptz NOT NULL DEFAULT now(),
  ip               text,
  user_agent       text,
  expires_at       timestamptz NOT NULL,
  confirmed_at     timestamptz
);
CREATE INDEX signup_request_expires_at_idx ON signup_request (expires_at);

-- The request path writes and confirms it; the worker reads it to choose the e-mail and purges expired ones.
GRANT SELECT, INSERT, UPDATE ON signup_request TO avtomektep_app;
GRANT SELECT, DELETE ON signup_request TO avtomektep_operator;

-- migrate:down

DROP TABLE IF EXISTS signup_request;
