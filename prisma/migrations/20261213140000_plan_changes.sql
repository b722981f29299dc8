-- migrate:up

-- A school's plan changes (docs/decisions/043-plan-changes.md). An upgrade takes effect at once and the days already
-- paid for are charged the difference pro rata by an invoice of its own (the change's invoice); a downgrade waits
-- for the first day not yet paid for, and the billing day switches the plan then. A change on trial days, or when no
-- day ahead is paid, takes effect at once and costs nothing. The operator may change a plan too, with a reason.
-- A school has at most one change waiting (the partial unique key); a new choice replaces it.
CREATE TABLE plan_change (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  from_plan_id  uuid NOT NULL REFERENCES tariff_plan (id),
  to_plan_id    uuid NOT NULL REFERENCES tariff_plan (id),
  kind          text NOT NULL CHECK (kind IN ('now', 'upgrade', 'downgrade')),
  effective_on  date NOT NULL,
  charge_tiyn   bigint NOT NULL DEFAULT 0 CHECK (charge_tiyn >= 0),
  by_operator   boolean NOT NULL DEFAULT false,
  actor_user_id uuid REFERENCES app_user (id),
  reason        text CHECK (reason IS NULL OR length(reason) BETWEEN 3 AND 500),
  applied_at    timestamptz,
  cancelled_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (from_plan_id <> to_plan_id),
  CHECK (NOT by_operator OR reason IS NOT NULL),
  CHECK (kind = 'upgrade' OR charge_tiyn = 0)
);
CREATE INDEX plan_change_school_id_idx ON plan_change (school_id, created_at DESC);
CREATE UNIQUE INDEX plan_change_pending_idx ON plan_change (school_id) WHERE applied_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX plan_change_due_idx ON plan_change (effective_on) WHERE applied_at IS NULL AND cancelled_at IS NULL;

-- The upgrade's invoice: for the days from the change to the end of what is paid, beside the period's own invoice.
-- A period keeps one invoice; a change has at most one that is not void.
ALTER TABLE invoice ADD COLUMN plan_change_id uuid REFERENCES plan_change (id);
DROP INDEX invoice_school_period_idx;
CREATE UNIQUE INDEX invoice_school_period_idx ON invoice (school_id, period_start) WHERE status <> 'void' AND plan_change_id IS NULL;
CREATE UNIQUE INDEX invoice_plan_change_idx ON invoice (plan_change_id) WHERE status <> 'void' AND plan_change_id IS NOT NULL;

GRANT SELECT ON plan_change TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON plan_change TO avtomektep_operator;
ALTER TABLE plan_change ENABLE ROW LEVEL SECURITY;
ALTER TABLE plan_change FORCE ROW LEVEL SECURITY;
CREATE POLICY plan_change_app ON plan_change FOR SELECT TO avtomektep_app
  USING (school_id = (SELECT app_school_id()));
CREATE POLICY plan_change_operator ON plan_change FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

SELECT grant_backup_access();

-- migrate:down
DROP INDEX IF EXISTS invoice_plan_change_idx;
DROP INDEX IF EXISTS invoice_school_period_idx;
ALTER TABLE invoice DROP COLUMN IF EXISTS plan_change_id;
CREATE UNIQUE INDEX invoice_school_period_idx ON invoice (school_id, period_start) WHERE status <> 'void';
DROP TABLE IF EXISTS plan_change;
