-- migrate:up

-- The operator's audit log filters by the acting user and by the event as well as by school and day, and
-- pages newest first on (at, id): each filter gets an index that starts with its column and goes on with
-- `at`, as audit_log (school_id, at) and (at) already do, so a page stays one short index range scan.
CREATE INDEX audit_log_actor_user_id_at_idx ON audit_log (actor_user_id, at);
CREATE INDEX audit_log_action_at_idx ON audit_log (action, at);

-- migrate:down

DROP INDEX audit_log_action_at_idx;
DROP INDEX audit_log_actor_user_id_at_idx;
