-- migrate:up

-- Kazakhstan's working-day calendar, per year, as the operator saved it (offer deadlines count working days).
-- A year without a row uses the built-in data (server/contract/calendar-data.ts). Global: no school, no RLS.
--   holidays     [{date, name, religious?}]  (carry-overs of holidays on a weekend are computed)
--   days_off     [{date, act}]   extra days off by government decree
--   working_days [{date, act}]   working days by decree (a working Saturday)
CREATE TABLE work_calendar (
  year         integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  holidays     jsonb NOT NULL DEFAULT '[]',
  days_off     jsonb NOT NULL DEFAULT '[]',
  working_days jsonb NOT NULL DEFAULT '[]',
  updated_by   uuid REFERENCES app_user (id),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON work_calendar TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON work_calendar TO avtomektep_operator;

-- Claims (претензии, offer 9.1, 10.7), numbered per school, with the receipt date and the two deadlines
-- counted from it in working days: review within 7 (review_due), written answer within 10 (answer_due).
-- Unanswered past answer_due → accepted_by_silence. The warn_* columns hold when each deadline warning went
-- to the operator: set once by a conditional UPDATE, so a job run twice warns once.
CREATE TABLE claim (
  id                 uuid PRIMARY KEY,
  school_id          uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  number             integer NOT NULL CHECK (number > 0),
  subject            text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  text               text NOT NULL CHECK (length(text) BETWEEN 1 AND 20000),
  received_on        date NOT NULL,
  source             text NOT NULL CHECK (source IN ('cabinet', 'paper')),
  filed_by           uuid REFERENCES app_user (id),
  review_due         date NOT NULL CHECK (review_due > received_on),
  answer_due         date NOT NULL CHECK (answer_due >= review_due),
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'accepted_by_silence')),
  reviewed_at        timestamptz,
  reviewed_by        uuid REFERENCES app_user (id),
  answer             text CHECK (length(answer) BETWEEN 1 AND 20000),
  answered_at        timestamptz,
  answered_by        uuid REFERENCES app_user (id),
  silence_at         timestamptz,
  document_id        uuid REFERENCES school_document (id),
  answer_document_id uuid REFERENCES school_document (id),
  warn_review_soon   timestamptz,
  warn_review_due    timestamptz,
  warn_answer_soon   timestamptz,
  warn_answer_due    timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, number),
  CHECK ((status = 'answered') = (answered_at IS NOT NULL))
);
CREATE INDEX claim_school_id_received_on_idx ON claim (school_id, received_on DESC, number DESC);
CREATE INDEX claim_open_answer_due_idx ON claim (answer_due) WHERE status = 'open';

-- Force-majeure notices (offer 8.2): a party notifies within 4 working days of the event's start. A school's
-- notice has its school; the operator's own notice (school_id NULL) applies to every school. within_deadline
-- is computed at registration from the working-day calendar of that time.
CREATE TABLE force_majeure_notice (
  id               uuid PRIMARY KEY,
  school_id        uuid REFERENCES school (id) ON DELETE CASCADE,
  side             text NOT NULL CHECK (side IN ('school', 'operator')),
  what             text NOT NULL CHECK (length(what) BETWEEN 1 AND 5000),
  event_started_on date NOT NULL,
  notified_on      date NOT NULL CHECK (notified_on >= event_started_on),
  documents        text NOT NULL DEFAULT '' CHECK (length(documents) <= 5000),
  within_deadline  boolean NOT NULL,
  registered_by    uuid REFERENCES app_user (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((side = 'school') = (school_id IS NOT NULL))
);
CREATE INDEX force_majeure_notice_school_id_created_at_idx ON force_majeure_notice (school_id, created_at DESC);

-- Schools read their own rows (and the operator's notices for all); they write through the operator role.
GRANT SELECT ON claim, force_majeure_notice TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON claim, force_majeure_notice TO avtomektep_operator;
ALTER TABLE claim                ENABLE ROW LEVEL SECURITY;
ALTER TABLE claim                FORCE ROW LEVEL SECURITY;
ALTER TABLE force_majeure_notice ENABLE ROW LEVEL SECURITY;
ALTER TABLE force_majeure_notice FORCE ROW LEVEL SECURITY;
CREATE POLICY claim_app ON claim FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY claim_operator ON claim FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY force_majeure_notice_app ON force_majeure_notice FOR SELECT TO avtomektep_app
  USING (school_id = app_school_id() OR school_id IS NULL);
CREATE POLICY force_majeure_notice_operator ON force_majeure_notice FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- migrate:down
DROP TABLE IF EXISTS force_majeure_notice;
DROP TABLE IF EXISTS claim;
DROP TABLE IF EXISTS work_calendar;
