-- migrate:up

-- Kaspi's request log is kept 400 days (a year of bank disputes and a margin, ADR 038 addendum): the daily
-- privacy run deletes older lines in batches as the operator role (server/billing/rails/request-log.ts).
GRANT DELETE ON rail_request TO avtomektep_operator;

-- migrate:down

REVOKE DELETE ON rail_request FROM avtomektep_operator;
