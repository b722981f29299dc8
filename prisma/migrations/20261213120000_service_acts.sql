-- migrate:up

-- Acts of completed work per month of access (docs/decisions/041-acts-per-month.md). An act is drawn up after a
-- month for the days of paid periods that fell in it, dated the last day served in that month: the month's last
-- day, or the end of a shorter final period. One act per school and month; its lines say which invoice's days
-- it covers, and those days are acted once (the primary key of a line is the invoice and the line's first day).
-- The acts issued at payment before this migration stay as they were; their invoices count as acted in full.
CREATE TABLE service_act (
  id          uuid PRIMARY KEY,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  month       date NOT NULL CHECK (extract(day FROM month) = 1),
  number      text NOT NULL UNIQUE,
  act_date    date NOT NULL,
  total_tiyn  bigint NOT NULL CHECK (total_tiyn > 0),
  vat_tiyn    bigint NOT NULL DEFAULT 0 CHECK (vat_tiyn >= 0),
  document_id uuid NOT NULL UNIQUE REFERENCES school_document (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_id, month),
  CHECK (act_date >= month AND act_date < month + interval '1 month')
);
CREATE INDEX service_act_act_date_idx ON service_act (act_date);

CREATE TABLE service_act_line (
  invoice_id  uuid NOT NULL REFERENCES invoice (id),
  period_from date NOT NULL,
  period_to   date NOT NULL,
  act_id      uuid NOT NULL REFERENCES service_act (id) ON DELETE CASCADE,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  amount_tiyn bigint NOT NULL CHECK (amount_tiyn >= 0),
  PRIMARY KEY (invoice_id, period_from),
  CHECK (period_to >= period_from)
);
CREATE INDEX service_act_line_school_id_act_id_idx ON service_act_line (school_id, act_id);
CREATE INDEX service_act_line_act_id_idx ON service_act_line (act_id);

GRANT SELECT ON service_act, service_act_line TO avtomektep_app;
GRANT SELECT, INSERT ON service_act, service_act_line TO avtomektep_operator;

ALTER TABLE service_act ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_act FORCE ROW LEVEL SECURITY;
ALTER TABLE service_act_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_act_line FORCE ROW LEVEL SECURITY;
CREATE POLICY service_act_app ON service_act FOR SELECT TO avtomektep_app
  USING (school_id = (SELECT app_school_id()));
CREATE POLICY service_act_line_app ON service_act_line FOR SELECT TO avtomektep_app
  USING (school_id = (SELECT app_school_id()));
CREATE POLICY service_act_operator ON service_act FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY service_act_line_operator ON service_act_line FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

SELECT grant_backup_access();

-- migrate:down
DROP TABLE IF EXISTS service_act_line, service_act;
