-- migrate:up

-- The audit log is append-only for everyone, the owner included (ADR 003). The row trigger stops
-- UPDATE and DELETE, but TRUNCATE fires no row triggers: a statement trigger stops it too.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- migrate:down

DROP TRIGGER audit_log_no_truncate ON audit_log;
