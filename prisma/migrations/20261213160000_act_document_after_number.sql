-- migrate:up

-- An act's number and rows are committed first, its PDF after (docs/decisions/041-acts-per-month.md, "Measured"):
-- the year's gapless counter is held only for the rows, not while the PDF renders. The act keeps the data its PDF is
-- made from (`doc`), so a job retried after the first commit renders the same document; until then document_id is
-- empty.
ALTER TABLE service_act ALTER COLUMN document_id DROP NOT NULL;
ALTER TABLE service_act ADD COLUMN doc jsonb;
CREATE INDEX service_act_undocumented_idx ON service_act (month) WHERE document_id IS NULL;
GRANT UPDATE (document_id) ON service_act TO avtomektep_operator;

-- migrate:down
DROP INDEX IF EXISTS service_act_undocumented_idx;
ALTER TABLE service_act DROP COLUMN IF EXISTS doc;
