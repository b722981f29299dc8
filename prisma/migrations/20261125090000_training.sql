-- migrate:up

-- The school's register and training: programmes, groups, staff profiles, vehicles, driving
-- lessons that can't be double-booked, the trainee's contract and status history, and a
-- tamper-evident journal. Every table with school_id is held to RLS like those of 001.

CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TYPE gearbox AS ENUM ('manual', 'automatic');
CREATE TYPE lesson_status AS ENUM ('booked', 'done', 'missed', 'cancelled');

-- Reference data shared by all schools (seeded; the operator's to edit).
CREATE TABLE licence_category (
  code    text PRIMARY KEY CHECK (code IN ('A1','A','B1','B','BE','C1','C','C1E','CE','D1','D','D1E','DE','Tb','Tm')),
  sort    integer NOT NULL,
  name_kk text NOT NULL,
  name_ru text NOT NULL
);

CREATE TABLE programme_template (
  id            uuid PRIMARY KEY,
  category      text NOT NULL REFERENCES licence_category (code),
  gearbox       gearbox NOT NULL,
  theory_hours  integer NOT NULL CHECK (theory_hours >= 0),
  driving_hours integer NOT NULL CHECK (driving_hours >= 0),
  subjects      jsonb NOT NULL DEFAULT '[]',
  note_kk       text,
  note_ru       text,
  UNIQUE (category, gearbox)
);

-- A school's own copy of a programme, made from the template and adjustable.
CREATE TABLE programme (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  category      text NOT NULL REFERENCES licence_category (code),
  gearbox       gearbox NOT NULL,
  theory_hours  integer NOT NULL CHECK (theory_hours >= 0),
  driving_hours integer NOT NULL CHECK (driving_hours >= 0),
  subjects      jsonb NOT NULL DEFAULT '[]',
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, category, gearbox)
);

CREATE TABLE study_group (
  id         uuid PRIMARY KEY,
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  number     text NOT NULL CHECK (length(number) BETWEEN 1 AND 40),
  category   text NOT NULL REFERENCES licence_category (code),
  starts_on  date NOT NULL,
  ends_on    date NOT NULL CHECK (ends_on >= starts_on),
  teacher_id uuid REFERENCES app_user (id),
  timetable  text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, number)
);
CREATE INDEX study_group_school_id_starts_on_idx ON study_group (school_id, starts_on);

-- What a member of staff is licensed for, per school (an instructor may work for two schools).
CREATE TABLE staff_profile (
  school_id                    uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  user_id                      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  licence_categories           text[] NOT NULL DEFAULT '{}',
  instructor_cert_number       text,
  instructor_cert_valid_until  date,
  updated_at                   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (school_id, user_id)
);

CREATE TABLE vehicle (
  id                     uuid PRIMARY KEY,
  school_id              uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  plate                  text NOT NULL CHECK (plate = upper(plate)),
  make_model             text NOT NULL,
  category               text NOT NULL REFERENCES licence_category (code),
  gearbox                gearbox NOT NULL,
  dual_controls          boolean NOT NULL DEFAULT true,
  insurance_valid_until  date,
  inspection_valid_until date,
  active                 boolean NOT NULL DEFAULT true,
  created_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, plate)
);

-- The trainee's contract, training details and login.
ALTER TABLE trainee
  ADD COLUMN gearbox                   gearbox NOT NULL DEFAULT 'manual',
  ADD COLUMN medical_cert_number       text,
  ADD COLUMN medical_cert_issued_on    date,
  ADD COLUMN medical_cert_valid_until  date,
  ADD COLUMN contract_number           text,
  ADD COLUMN contract_price_tiyn       bigint NOT NULL DEFAULT 0 CHECK (contract_price_tiyn >= 0),
  ADD COLUMN paid_tiyn                 bigint NOT NULL DEFAULT 0,
  ADD COLUMN group_id                  uuid REFERENCES study_group (id),
  ADD COLUMN instructor_id             uuid REFERENCES app_user (id),
  ADD COLUMN user_id                   uuid REFERENCES app_user (id),
  ADD COLUMN enrolled_at               timestamptz,
  ADD CONSTRAINT medical_cert_dates CHECK (medical_cert_valid_until IS NULL OR medical_cert_issued_on IS NULL OR medical_cert_valid_until >= medical_cert_issued_on);
CREATE INDEX trainee_school_id_group_id_idx ON trainee (school_id, group_id);
CREATE INDEX trainee_school_id_status_last_name_idx ON trainee (school_id, status, last_name, first_name, id);
CREATE INDEX trainee_school_id_category_idx ON trainee (school_id, category);
CREATE UNIQUE INDEX trainee_school_id_contract_number_key ON trainee (school_id, contract_number) WHERE contract_number IS NOT NULL;
CREATE UNIQUE INDEX trainee_school_id_user_id_key ON trainee (school_id, user_id) WHERE user_id IS NOT NULL;
-- Substring search by name at 100,000 trainees: trigram indexes serve ILIKE '%…%'.
CREATE INDEX trainee_last_name_trgm_idx ON trainee USING gin (last_name gin_trgm_ops);
CREATE INDEX trainee_first_name_trgm_idx ON trainee USING gin (first_name gin_trgm_ops);
CREATE INDEX trainee_school_id_phone_idx ON trainee (school_id, phone);

-- Payments received under the trainee's contract; trainee.paid_tiyn is their sum, kept by the app
-- in the same transaction (a payment row and the new total commit together).
CREATE TABLE trainee_payment (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id  uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  amount_tiyn bigint NOT NULL CHECK (amount_tiyn <> 0),
  paid_on     date NOT NULL,
  note        text,
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trainee_payment_school_id_trainee_id_idx ON trainee_payment (school_id, trainee_id);

CREATE TABLE trainee_status_change (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id  uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  from_status trainee_status,
  to_status   trainee_status NOT NULL,
  reason      text,
  changed_by  uuid NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trainee_status_change_school_id_trainee_id_idx ON trainee_status_change (school_id, trainee_id, changed_at);

-- Driving lessons. The three exclusion constraints make a double booking impossible whatever the
-- application does: two registrars booking the same slot at once — one of them gets 23P01.
-- The instructor's constraint spans schools (one person can't drive two cars at once); the
-- trainee's and the vehicle's belong to one school anyway.
CREATE TABLE driving_lesson (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id    uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  instructor_id uuid NOT NULL REFERENCES app_user (id),
  vehicle_id    uuid NOT NULL REFERENCES vehicle (id),
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '4 hours'),
  status        lesson_status NOT NULL DEFAULT 'booked',
  note          text,
  booked_by     uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  marked_by     uuid,
  marked_at     timestamptz,
  CONSTRAINT driving_lesson_instructor_busy EXCLUDE USING gist
    (instructor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled'),
  CONSTRAINT driving_lesson_trainee_busy EXCLUDE USING gist
    (trainee_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled'),
  CONSTRAINT driving_lesson_vehicle_busy EXCLUDE USING gist
    (vehicle_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled')
);
CREATE INDEX driving_lesson_school_id_starts_at_idx ON driving_lesson (school_id, starts_at);
CREATE INDEX driving_lesson_school_id_trainee_id_idx ON driving_lesson (school_id, trainee_id);
CREATE INDEX driving_lesson_instructor_id_starts_at_idx ON driving_lesson (instructor_id, starts_at);

-- The journal: every entry that matters to the regulator (enrolment, status, lesson marks,
-- corrections), stamped by the database clock, numbered per school without gaps, each carrying the
-- SHA-256 of the previous entry. journal_head holds each school's last number and hash; appending
-- locks it, so entries form one chain even under concurrent writes.
CREATE TABLE journal_head (
  school_id uuid PRIMARY KEY REFERENCES school (id) ON DELETE CASCADE,
  seq       bigint NOT NULL,
  hash      text NOT NULL
);

CREATE TABLE journal_entry (
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  seq           bigint NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  kind          text NOT NULL,
  subject_id    uuid,
  data          jsonb NOT NULL,
  prev_hash     text NOT NULL,
  hash          text NOT NULL,
  PRIMARY KEY (school_id, seq)
);
CREATE INDEX journal_entry_school_id_subject_id_idx ON journal_entry (school_id, subject_id);

CREATE TRIGGER journal_entry_append_only BEFORE UPDATE OR DELETE ON journal_entry
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- Privileges and row-level security.
GRANT SELECT ON licence_category, programme_template TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON licence_category, programme_template TO avtomektep_operator;
GRANT SELECT, INSERT, UPDATE, DELETE ON programme, study_group, staff_profile, vehicle, trainee_payment,
  trainee_status_change, driving_lesson, journal_head TO avtomektep_app, avtomektep_operator;
GRANT SELECT, INSERT ON journal_entry TO avtomektep_app, avtomektep_operator;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['programme', 'study_group', 'staff_profile', 'vehicle', 'trainee_payment',
                           'trainee_status_change', 'driving_lesson', 'journal_head', 'journal_entry'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_app USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id())', t || '_app_all', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true)', t || '_operator', t);
  END LOOP;
END
$$;

-- migrate:down
DROP TABLE IF EXISTS journal_entry, journal_head, driving_lesson, trainee_status_change, trainee_payment, vehicle,
  staff_profile, study_group, programme, programme_template, licence_category CASCADE;
ALTER TABLE trainee DROP COLUMN IF EXISTS gearbox, DROP COLUMN IF EXISTS medical_cert_number,
  DROP COLUMN IF EXISTS medical_cert_issued_on, DROP COLUMN IF EXISTS medical_cert_valid_until,
  DROP COLUMN IF EXISTS contract_number, DROP COLUMN IF EXISTS contract_price_tiyn, DROP COLUMN IF EXISTS paid_tiyn,
  DROP COLUMN IF EXISTS group_id, DROP COLUMN IF EXISTS instructor_id, DROP COLUMN IF EXISTS user_id,
  DROP COLUMN IF EXISTS enrolled_at;
DROP TYPE IF EXISTS lesson_status, gearbox;
