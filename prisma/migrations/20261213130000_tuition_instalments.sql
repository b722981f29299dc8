-- migrate:up

-- A trainee's contract price as a schedule of instalments (docs/decisions/042-tuition-instalments.md). The amounts
-- add up to the price in tiyn when the registrar sets the schedule; what is paid is the trainee's payments (the
-- ledger), applied to the earliest instalments in order, so a row holds no "paid" of its own. Setting a schedule
-- again replaces the rows in one transaction.
CREATE TABLE tuition_instalment (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id  uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  seq         integer NOT NULL CHECK (seq BETWEEN 1 AND 36),
  due_on      date NOT NULL,
  amount_tiyn bigint NOT NULL CHECK (amount_tiyn > 0),
  created_by  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, trainee_id, seq)
);
CREATE INDEX tuition_instalment_school_id_due_on_idx ON tuition_instalment (school_id, due_on);

GRANT SELECT, INSERT, UPDATE, DELETE ON tuition_instalment TO avtomektep_app, avtomektep_operator;
GRANT SELECT ON tuition_instalment TO avtomektep_trainee;

ALTER TABLE tuition_instalment ENABLE ROW LEVEL SECURITY;
ALTER TABLE tuition_instalment FORCE ROW LEVEL SECURITY;
CREATE POLICY tuition_instalment_app_all ON tuition_instalment FOR ALL TO avtomektep_app
  USING (school_id = (SELECT app_school_id())) WITH CHECK (school_id = (SELECT app_school_id()));
CREATE POLICY tuition_instalment_operator ON tuition_instalment FOR ALL TO avtomektep_operator
  USING (true) WITH CHECK (true);
-- The trainee's cabinet shows the trainee their own schedule.
CREATE POLICY tuition_instalment_trainee ON tuition_instalment FOR SELECT TO avtomektep_trainee
  USING (school_id = (SELECT app_school_id()) AND trainee_id = (SELECT app_trainee_id()));

-- Each school its own Kaspi payee for tuition (/pay/kaspi/school-<slug>): a payment that arrives through a rail is
-- a trainee_payment with method 'kaspi' and the rail's txn_id as its external reference, once per school (the
-- rail's own UNIQUE (rail, txn_id) in rail_txn is the first net). Such a payment has no staff member behind it.
ALTER TABLE trainee_payment
  ADD COLUMN method       text NOT NULL DEFAULT 'office' CHECK (method IN ('office', 'kaspi')),
  ADD COLUMN external_ref text CHECK (external_ref IS NULL OR method <> 'office'),
  ALTER COLUMN created_by DROP NOT NULL;
CREATE UNIQUE INDEX trainee_payment_school_id_method_external_ref_key ON trainee_payment (school_id, method, external_ref)
  WHERE external_ref IS NOT NULL;
ALTER TABLE rail_txn ADD COLUMN trainee_payment_id uuid UNIQUE REFERENCES trainee_payment (id) ON DELETE SET NULL;

-- The school's payee settings, edited by its director: the secret (its SHA-256 only) and the addresses Kaspi
-- calls from. No row: the school takes no tuition through Kaspi.
CREATE TABLE school_kaspi_payee (
  school_id     uuid PRIMARY KEY REFERENCES school (id) ON DELETE CASCADE,
  secret_sha256 text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
  secret_set_at timestamptz NOT NULL DEFAULT now(),
  allowed_ips   text[] NOT NULL DEFAULT '{}',
  updated_by    uuid
);
GRANT SELECT, INSERT, UPDATE, DELETE ON school_kaspi_payee TO avtomektep_app, avtomektep_operator;
ALTER TABLE school_kaspi_payee ENABLE ROW LEVEL SECURITY;
ALTER TABLE school_kaspi_payee FORCE ROW LEVEL SECURITY;
CREATE POLICY school_kaspi_payee_app_all ON school_kaspi_payee FOR ALL TO avtomektep_app
  USING (school_id = (SELECT app_school_id())) WITH CHECK (school_id = (SELECT app_school_id()));
CREATE POLICY school_kaspi_payee_operator ON school_kaspi_payee FOR ALL TO avtomektep_operator
  USING (true) WITH CHECK (true);
-- The trainee's cabinet only asks whether its school takes tuition through Kaspi (never the secret).
GRANT SELECT (school_id) ON school_kaspi_payee TO avtomektep_trainee;
CREATE POLICY school_kaspi_payee_trainee ON school_kaspi_payee FOR SELECT TO avtomektep_trainee
  USING (school_id = (SELECT app_school_id()));

SELECT grant_backup_access();

-- migrate:down
DROP TABLE IF EXISTS school_kaspi_payee;
ALTER TABLE rail_txn DROP COLUMN IF EXISTS trainee_payment_id;
DELETE FROM trainee_payment WHERE created_by IS NULL;
DROP INDEX IF EXISTS trainee_payment_school_id_method_external_ref_key;
ALTER TABLE trainee_payment DROP COLUMN IF EXISTS method, DROP COLUMN IF EXISTS external_ref,
  ALTER COLUMN created_by SET NOT NULL;
DROP TABLE IF EXISTS tuition_instalment;
