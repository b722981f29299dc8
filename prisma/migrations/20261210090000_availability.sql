-- migrate:up

-- When an instructor works and when a car can be driven (docs/decisions/032-working-hours-and-downtime.md).
--
-- instructor_hours: an instructor's weekly working hours in one school, several intervals a day allowed
-- (weekday 1 = Monday … 7 = Sunday; minutes since midnight, Almaty time: 480 = 08:00). No rows for an instructor = no restriction: schools that
-- never set hours keep booking as before. Intervals of one day never overlap.
--
-- instructor_absence: whole days an instructor does not work (leave, sick, other), ends_on inclusive.
-- vehicle_downtime: whole days a car is out of work (service, inspection, other), ends_on inclusive.
-- Periods of one person or one car never overlap. Booked lessons inside a new period are not cancelled:
-- the office is shown them and moves them.
CREATE TABLE instructor_hours (
  school_id uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  weekday   integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts    integer NOT NULL CHECK (starts BETWEEN 0 AND 1439),
  ends      integer NOT NULL CHECK (ends BETWEEN 1 AND 1440),
  PRIMARY KEY (school_id, user_id, weekday, starts),
  CONSTRAINT instructor_hours_order CHECK (ends > starts),
  CONSTRAINT instructor_hours_overlap EXCLUDE USING gist (
    school_id WITH =, user_id WITH =, weekday WITH =, int4range(starts, ends) WITH &&)
);

CREATE TABLE instructor_absence (
  id         uuid PRIMARY KEY,
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  starts_on  date NOT NULL,
  ends_on    date NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('leave', 'sick', 'other')),
  note       text CHECK (char_length(note) <= 300),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT instructor_absence_order CHECK (ends_on >= starts_on AND ends_on - starts_on <= 366),
  CONSTRAINT instructor_absence_overlap EXCLUDE USING gist (
    school_id WITH =, user_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
);
CREATE INDEX instructor_absence_school_user_idx ON instructor_absence (school_id, user_id, starts_on);

CREATE TABLE vehicle_downtime (
  id         uuid PRIMARY KEY,
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  vehicle_id uuid NOT NULL REFERENCES vehicle (id) ON DELETE CASCADE,
  starts_on  date NOT NULL,
  ends_on    date NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('service', 'inspection', 'other')),
  note       text CHECK (char_length(note) <= 300),
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT vehicle_downtime_order CHECK (ends_on >= starts_on AND ends_on - starts_on <= 366),
  CONSTRAINT vehicle_downtime_overlap EXCLUDE USING gist (
    vehicle_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)
);
CREATE INDEX vehicle_downtime_school_vehicle_idx ON vehicle_downtime (school_id, vehicle_id, starts_on);

-- The office writes (hours are replaced as a whole week; periods are added and removed, never edited).
GRANT SELECT, INSERT, DELETE ON instructor_hours, instructor_absence, vehicle_downtime TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON instructor_hours, instructor_absence, vehicle_downtime TO avtomektep_operator;

ALTER TABLE instructor_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE instructor_hours FORCE ROW LEVEL SECURITY;
CREATE POLICY instructor_hours_app_all ON instructor_hours FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY instructor_hours_operator ON instructor_hours FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

ALTER TABLE instructor_absence ENABLE ROW LEVEL SECURITY;
ALTER TABLE instructor_absence FORCE ROW LEVEL SECURITY;
CREATE POLICY instructor_absence_app_all ON instructor_absence FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY instructor_absence_operator ON instructor_absence FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

ALTER TABLE vehicle_downtime ENABLE ROW LEVEL SECURITY;
ALTER TABLE vehicle_downtime FORCE ROW LEVEL SECURITY;
CREATE POLICY vehicle_downtime_app_all ON vehicle_downtime FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY vehicle_downtime_operator ON vehicle_downtime FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- Self-booking runs as the trainee (server/booking/self.ts): it reads its own instructor's hours and days off
-- and the school's cars' days out of work — the dates only, never the reason or the note.
GRANT SELECT ON instructor_hours TO avtomektep_trainee;
CREATE POLICY instructor_hours_trainee ON instructor_hours FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id()
         AND user_id = (SELECT t.instructor_id FROM trainee t WHERE t.id = app_trainee_id()));
GRANT SELECT (school_id, user_id, starts_on, ends_on) ON instructor_absence TO avtomektep_trainee;
CREATE POLICY instructor_absence_trainee ON instructor_absence FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id()
         AND user_id = (SELECT t.instructor_id FROM trainee t WHERE t.id = app_trainee_id()));
GRANT SELECT (school_id, vehicle_id, starts_on, ends_on) ON vehicle_downtime TO avtomektep_trainee;
CREATE POLICY vehicle_downtime_trainee ON vehicle_downtime FOR SELECT TO avtomektep_trainee
  USING (school_id = app_school_id());

SELECT grant_backup_access();

-- migrate:down
DROP TABLE IF EXISTS vehicle_downtime;
DROP TABLE IF EXISTS instructor_absence;
DROP TABLE IF EXISTS instructor_hours;
