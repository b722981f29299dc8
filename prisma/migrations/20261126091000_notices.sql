-- migrate:up

-- Offer changes (10.2–10.4) and maintenance windows (4.2.4): the events, their fan-out to every user of
-- every school (one row per recipient per event, held to one by the primary key), continued use recorded
-- as consent, and a school's written disagreement with a change.

-- How an acceptance came: ticked at sign-up, or continued use after a change took effect (10.4).
ALTER TABLE offer_acceptance ADD COLUMN via text NOT NULL DEFAULT 'signup' CHECK (via IN ('signup', 'continued_use'));

-- A maintenance window announced at least 3 calendar days ahead; it ends by itself at ends_at.
CREATE TABLE maintenance_window (
  id           uuid PRIMARY KEY,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  reason_kk    text NOT NULL,
  reason_ru    text NOT NULL,
  created_by   uuid REFERENCES app_user (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_window_ends_at_idx ON maintenance_window (ends_at);

-- One event to tell everybody about: an offer change, a maintenance window, the day-before reminder.
CREATE TABLE notice (
  id                uuid PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('offer_change', 'tariff_change', 'maintenance', 'maintenance_reminder')),
  offer_version_id  uuid REFERENCES offer_version (id),
  maintenance_id    uuid REFERENCES maintenance_window (id),
  -- A tariff change (the offer's appendix): its version, and what the banner says in each language.
  tariff_version_id uuid REFERENCES tariff_version (id),
  summary_kk        text,
  summary_ru        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  fanned_out_at     timestamptz,
  took_effect_at    timestamptz,
  UNIQUE (kind, offer_version_id),
  UNIQUE (kind, maintenance_id),
  UNIQUE (kind, tariff_version_id),
  CHECK ((kind = 'offer_change') = (offer_version_id IS NOT NULL)),
  CHECK ((kind = 'tariff_change') = (tariff_version_id IS NOT NULL)),
  CHECK ((kind IN ('maintenance', 'maintenance_reminder')) = (maintenance_id IS NOT NULL))
);

-- One row per recipient per event: the e-mail was written once, the banner shows until read_at.
-- A user of several schools is one recipient; school_id is the school the notice reached them through.
CREATE TABLE notice_recipient (
  notice_id  uuid NOT NULL REFERENCES notice (id),
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  emailed_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz,
  PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_recipient_school_id_user_id_idx ON notice_recipient (school_id, user_id);

-- A school's written disagreement with an offer change, and the operator's answer.
CREATE TABLE offer_disagreement (
  id               uuid PRIMARY KEY,
  school_id        uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  offer_version_id uuid NOT NULL REFERENCES offer_version (id),
  user_id          uuid NOT NULL REFERENCES app_user (id),
  text             text NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
  created_at       timestamptz NOT NULL DEFAULT now(),
  answer           text,
  answered_at      timestamptz,
  answered_by      uuid REFERENCES app_user (id)
);
CREATE INDEX offer_disagreement_school_id_created_at_idx ON offer_disagreement (school_id, created_at DESC);

GRANT SELECT ON maintenance_window, notice TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON maintenance_window, notice, notice_recipient, offer_disagreement TO avtomektep_operator;
GRANT SELECT ON notice_recipient TO avtomektep_app;
GRANT UPDATE (read_at) ON notice_recipient TO avtomektep_app;
GRANT SELECT, INSERT ON offer_disagreement TO avtomektep_app;

ALTER TABLE notice_recipient   ENABLE ROW LEVEL SECURITY;
ALTER TABLE notice_recipient   FORCE ROW LEVEL SECURITY;
ALTER TABLE offer_disagreement ENABLE ROW LEVEL SECURITY;
ALTER TABLE offer_disagreement FORCE ROW LEVEL SECURITY;

CREATE POLICY notice_recipient_app ON notice_recipient FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id() AND user_id = app_user_id());
CREATE POLICY notice_recipient_operator ON notice_recipient FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY offer_disagreement_app ON offer_disagreement FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY offer_disagreement_operator ON offer_disagreement FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- migrate:down
DROP TABLE IF EXISTS offer_disagreement, notice_recipient, notice, maintenance_window;
ALTER TABLE offer_acceptance DROP COLUMN IF EXISTS via;
