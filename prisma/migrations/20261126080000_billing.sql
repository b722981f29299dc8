-- migrate:up

-- Paid access by tariff (offer 2.1, 2.5, 4.2.6, 4.3.9). school.status is the school's access state:
-- trial → active, and on non-payment past_due (banner) → restricted (read and export only) →
-- suspended (billing only); deactivated stays the operator's violation state (5.2).
-- (The new enum values are not used in this file: PostgreSQL allows them only after the commit.)
ALTER TYPE school_status ADD VALUE IF NOT EXISTS 'past_due' BEFORE 'suspended';
ALTER TYPE school_status ADD VALUE IF NOT EXISTS 'restricted' BEFORE 'suspended';


CREATE TYPE billing_period AS ENUM ('month', 'year');
CREATE TYPE invoice_status AS ENUM ('open', 'paid', 'void');
CREATE TYPE payment_method AS ENUM ('card', 'bank', 'manual');
CREATE TYPE transition_cause AS ENUM ('overdue', 'payment', 'operator', 'refund');

-- The tariffs are the offer's appendix: a plan, and its versions (price, period, limits), each effective from
-- a date. A change published later than 7 days before its date is refused by the service (offer 10.2–10.4).
CREATE TABLE tariff_plan (
  id          uuid PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,30}$'),
  name_kk     text NOT NULL,
  name_ru     text NOT NULL,
  sort        integer NOT NULL DEFAULT 0,
  archived_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tariff_version (
  id             uuid PRIMARY KEY,
  plan_id        uuid NOT NULL REFERENCES tariff_plan (id),
  version        integer NOT NULL CHECK (version > 0),
  period         billing_period NOT NULL,
  price_tiyn     bigint NOT NULL CHECK (price_tiyn > 0),
  max_trainees   integer CHECK (max_trainees > 0),
  max_staff      integer CHECK (max_staff > 0),
  effective_from date NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now(),
  published_by   uuid REFERENCES app_user (id),
  UNIQUE (plan_id, version),
  UNIQUE (plan_id, effective_from)
);

-- One subscription per school: its plan and the last day of paid (or trial) access, an Almaty date.
CREATE TABLE subscription (
  school_id    uuid PRIMARY KEY REFERENCES school (id) ON DELETE CASCADE,
  plan_id      uuid NOT NULL REFERENCES tariff_plan (id),
  paid_through date NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Invoice numbers (AM-2026-00042): a sequence, so 10,000 schools can be invoiced in parallel; a rolled-back
-- transaction may leave a gap. Acts are numbered without gaps from doc_counter, under its row lock.
CREATE SEQUENCE invoice_number_seq;

CREATE TABLE doc_counter (
  kind text NOT NULL,
  year integer NOT NULL,
  last integer NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, year)
);

-- One invoice per school per period (the unique key the daily run relies on); a voided invoice frees its
-- period for a re-issued one (plan changed before payment). Supplier, buyer and offer are snapshots, so the
-- PDF printed later is the document issued.
CREATE TABLE invoice (
  id                uuid PRIMARY KEY,
  school_id         uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  number            text NOT NULL UNIQUE CHECK (number ~ '^AM-[0-9]{4}-[0-9]{5,7}$'),
  plan_id           uuid NOT NULL REFERENCES tariff_plan (id),
  tariff_version_id uuid NOT NULL REFERENCES tariff_version (id),
  period_start      date NOT NULL,
  period_end        date NOT NULL CHECK (period_end >= period_start),
  amount_tiyn       bigint NOT NULL CHECK (amount_tiyn > 0),
  vat_rate_bp       integer CHECK (vat_rate_bp >= 0),
  issued_on         date NOT NULL,
  due_on            date NOT NULL,
  status            invoice_status NOT NULL DEFAULT 'open',
  paid_at           timestamptz,
  voided_reason     text,
  supplier          jsonb NOT NULL,
  buyer             jsonb NOT NULL,
  offer             jsonb NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX invoice_school_period_idx ON invoice (school_id, period_start) WHERE status <> 'void';
CREATE INDEX invoice_school_id_period_start_idx ON invoice (school_id, period_start DESC);
CREATE INDEX invoice_open_due_idx ON invoice (due_on) WHERE status = 'open';

-- A payment is unique by its source: the Stripe payment intent, the bank document, the operator's entry.
-- Whatever delivers it twice (a webhook retry, the same statement imported again) finds it already there.
CREATE TABLE payment (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  invoice_id    uuid NOT NULL REFERENCES invoice (id),
  method        payment_method NOT NULL,
  external_ref  text NOT NULL,
  amount_tiyn   bigint NOT NULL CHECK (amount_tiyn > 0),
  received_on   date NOT NULL,
  payer_name    text,
  payer_bin     text,
  note          text,
  statement_id  uuid,
  recorded_by   uuid REFERENCES app_user (id),
  refunded_tiyn bigint NOT NULL DEFAULT 0 CHECK (refunded_tiyn >= 0 AND refunded_tiyn <= amount_tiyn),
  refunded_at   timestamptz,
  disputed_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (method, external_ref)
);
CREATE INDEX payment_school_id_created_at_idx ON payment (school_id, created_at DESC);
CREATE INDEX payment_invoice_id_idx ON payment (invoice_id);

-- One reminder per invoice per kind (days from the due date: -3, 0, 3, 7 by default).
CREATE TABLE billing_reminder (
  invoice_id  uuid NOT NULL REFERENCES invoice (id),
  offset_days integer NOT NULL,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  emailed     boolean NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (invoice_id, offset_days)
);
CREATE INDEX billing_reminder_school_id_idx ON billing_reminder (school_id);

-- Every change of a school's access state, with its cause. One overdue step per invoice and state (one
-- suspension per overdue invoice), one restore per payment.
CREATE TABLE access_transition (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  from_status   school_status NOT NULL,
  to_status     school_status NOT NULL,
  cause         transition_cause NOT NULL,
  invoice_id    uuid REFERENCES invoice (id),
  payment_id    uuid REFERENCES payment (id),
  reason        text,
  actor_user_id uuid REFERENCES app_user (id),
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX access_transition_overdue_idx ON access_transition (invoice_id, to_status) WHERE cause = 'overdue';
CREATE UNIQUE INDEX access_transition_payment_idx ON access_transition (payment_id) WHERE cause IN ('payment', 'refund');
CREATE INDEX access_transition_school_id_at_idx ON access_transition (school_id, at DESC);

-- Documents with legal force in the school's cabinet (offer 10.8): bytes and hash fixed at creation; only
-- the first reading may be recorded afterwards.
CREATE TABLE school_document (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('act')),
  number        text NOT NULL,
  invoice_id    uuid REFERENCES invoice (id),
  title_kk      text NOT NULL,
  title_ru      text NOT NULL,
  file_name     text NOT NULL,
  content       bytea NOT NULL,
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  first_read_at timestamptz,
  first_read_by uuid REFERENCES app_user (id),
  UNIQUE (kind, number),
  UNIQUE (kind, invoice_id)
);
CREATE INDEX school_document_school_id_created_at_idx ON school_document (school_id, created_at DESC);

CREATE FUNCTION school_document_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'school documents are immutable' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.id, NEW.school_id, NEW.kind, NEW.number, NEW.invoice_id, NEW.title_kk, NEW.title_ru, NEW.file_name, NEW.content, NEW.sha256, NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.school_id, OLD.kind, OLD.number, OLD.invoice_id, OLD.title_kk, OLD.title_ru, OLD.file_name, OLD.content, OLD.sha256, OLD.created_at)
     OR (OLD.first_read_at IS NOT NULL AND NEW.first_read_at IS DISTINCT FROM OLD.first_read_at) THEN
    RAISE EXCEPTION 'school documents are immutable' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER school_document_immutable BEFORE UPDATE OR DELETE ON school_document
  FOR EACH ROW EXECUTE FUNCTION school_document_is_immutable();

-- Stripe webhook events, stored by id: a redelivery is recognised and changes nothing.
CREATE TABLE stripe_event (
  id             text PRIMARY KEY,
  type           text NOT NULL,
  payment_intent text,
  payload        jsonb NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  applied_at     timestamptz,
  outcome        text
);
CREATE INDEX stripe_event_pending_idx ON stripe_event (payment_intent) WHERE applied_at IS NULL;

-- Imported 1C bank statements; their matched documents become payments with method 'bank'.
CREATE TABLE bank_statement (
  id          uuid PRIMARY KEY,
  sha256      text NOT NULL,
  file_name   text NOT NULL,
  content     text NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES app_user (id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  applied_at  timestamptz,
  applied_by  uuid REFERENCES app_user (id),
  paid_count  integer
);
ALTER TABLE payment ADD CONSTRAINT payment_statement_fk FOREIGN KEY (statement_id) REFERENCES bank_statement (id);

INSERT INTO platform_setting (key, value) VALUES
  ('billing', '{"invoiceDaysBefore": 7, "reminderOffsets": [-3, 0, 3, 7], "graceDays": 7, "suspendAfterDays": 30, "vatRateBp": null, "knp": "859", "operatorEmail": "info@avtomektep.kz"}'),
  ('operator_requisites', '{"name": "Профессиональное объединение по подготовке водителей транспортных средств \"CarLife.kz\"", "bin": "140940023564", "kbe": "18", "address": "010000, г. Астана, район Алматы, мкр. Аль-Фараби, пр. Шакарима Кудайбердиулы, 34", "email": "info@avtomektep.kz", "banks": [{"name": "АО \"Банк ЦентрКредит\"", "iik": "KZ058562203130392523", "bik": "KCJBKZKX"}, {"name": "АО \"Kaspi Bank\"", "iik": "KZ04722S000040001309", "bik": "CASPKZKA"}]}')
ON CONFLICT (key) DO NOTHING;

-- The seed tariffs (the offer's appendix; the operator edits them in the console).
INSERT INTO tariff_plan (id, code, name_kk, name_ru, sort) VALUES
  ('7a1f0000-0000-4000-8000-000000000001', 'start', 'Бастау', 'Старт', 1),
  ('7a1f0000-0000-4000-8000-000000000002', 'standard', 'Стандарт', 'Стандарт', 2),
  ('7a1f0000-0000-4000-8000-000000000003', 'standard-year', 'Стандарт (жылдық)', 'Стандарт (годовой)', 3),
  ('7a1f0000-0000-4000-8000-000000000004', 'network', 'Желі', 'Сеть', 4);
INSERT INTO tariff_version (id, plan_id, version, period, price_tiyn, max_trainees, max_staff, effective_from) VALUES
  ('7a1f1000-0000-4000-8000-000000000001', '7a1f0000-0000-4000-8000-000000000001', 1, 'month', 1500000, 100, 5, '2026-01-01'),
  ('7a1f1000-0000-4000-8000-000000000002', '7a1f0000-0000-4000-8000-000000000002', 1, 'month', 3500000, 500, 20, '2026-01-01'),
  ('7a1f1000-0000-4000-8000-000000000003', '7a1f0000-0000-4000-8000-000000000003', 1, 'year', 35000000, 500, 20, '2026-01-01'),
  ('7a1f1000-0000-4000-8000-000000000004', '7a1f0000-0000-4000-8000-000000000004', 1, 'month', 9000000, NULL, NULL, '2026-01-01');

-- Every existing school gets the Start plan, paid (trial) through its trial's last day or today.
INSERT INTO subscription (school_id, plan_id, paid_through)
SELECT id, '7a1f0000-0000-4000-8000-000000000001',
       coalesce((trial_ends_at AT TIME ZONE 'Asia/Almaty')::date, (now() AT TIME ZONE 'Asia/Almaty')::date)
FROM school;

-- Privileges: the billing ledger is the operator's; a school reads its own part of it (RLS), and records
-- the first reading of its documents.
GRANT SELECT ON tariff_plan, tariff_version TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON tariff_plan, tariff_version TO avtomektep_operator;
GRANT SELECT ON subscription, invoice, payment, billing_reminder, access_transition, school_document TO avtomektep_app;
GRANT UPDATE (first_read_at, first_read_by) ON school_document TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON subscription, invoice, payment, billing_reminder, access_transition, school_document,
  doc_counter, stripe_event, bank_statement TO avtomektep_operator;
GRANT USAGE ON SEQUENCE invoice_number_seq TO avtomektep_operator;
-- Sign-up creates the school's subscription in its own transaction.
GRANT INSERT ON subscription TO avtomektep_app;

ALTER TABLE subscription      ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscription      FORCE ROW LEVEL SECURITY;
ALTER TABLE invoice           ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice           FORCE ROW LEVEL SECURITY;
ALTER TABLE payment           ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment           FORCE ROW LEVEL SECURITY;
ALTER TABLE billing_reminder  ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing_reminder  FORCE ROW LEVEL SECURITY;
ALTER TABLE access_transition ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_transition FORCE ROW LEVEL SECURITY;
ALTER TABLE school_document   ENABLE ROW LEVEL SECURITY;
ALTER TABLE school_document   FORCE ROW LEVEL SECURITY;

CREATE POLICY subscription_app_select ON subscription FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY subscription_app_insert ON subscription FOR INSERT TO avtomektep_app WITH CHECK (school_id = app_school_id());
CREATE POLICY invoice_app ON invoice FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY payment_app ON payment FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY billing_reminder_app ON billing_reminder FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY access_transition_app ON access_transition FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY school_document_app_select ON school_document FOR SELECT TO avtomektep_app USING (school_id = app_school_id());
CREATE POLICY school_document_app_read ON school_document FOR UPDATE TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());

CREATE POLICY subscription_operator ON subscription FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY invoice_operator ON invoice FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY payment_operator ON payment FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY billing_reminder_operator ON billing_reminder FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY access_transition_operator ON access_transition FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY school_document_operator ON school_document FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);


-- migrate:down
DROP TABLE IF EXISTS bank_statement, stripe_event, school_document, access_transition, billing_reminder, payment,
  invoice, doc_counter, subscription, tariff_version, tariff_plan CASCADE;
DROP FUNCTION IF EXISTS school_document_is_immutable;
DROP SEQUENCE IF EXISTS invoice_number_seq;
DROP TYPE IF EXISTS transition_cause, payment_method, invoice_status, billing_period;
DELETE FROM platform_setting WHERE key IN ('billing', 'operator_requisites');
