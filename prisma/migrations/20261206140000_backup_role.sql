-- migrate:up

-- Backups as the managed-PostgreSQL owner (docs/decisions/020-backups-and-restore.md). RLS is FORCED on every
-- tenant table, so the owner sees no rows, and pg_dump (row_security=off) stops with "query would be affected by
-- row-level security policy". avtomektep_backup is a role nobody logs in as: SELECT on every table and sequence,
-- and on every RLS table one read-only policy that opens all rows, but only to a session that has become it
-- (`SET ROLE avtomektep_backup`, which `npm run db:backup` has pg_dump do with --role). The owner is a member and
-- so inherits the grants, yet in its ordinary sessions — and in any SECURITY DEFINER function it owns —
-- current_user is the owner, so the policy opens nothing there. A DBA may grant the role to a dedicated backup login.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'avtomektep_backup') THEN
    CREATE ROLE avtomektep_backup NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END
$$;
GRANT avtomektep_backup TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO avtomektep_backup;

-- Idempotent: grants what is missing and adds the policy where it is missing. A migration that creates a table
-- ends with `SELECT grant_backup_access();` (tests/ops/backup-access.test.ts fails for a table it left out, and
-- `npm run db:backup` refuses to write a backup that would silently miss its rows). Not ALTER DEFAULT PRIVILEGES:
-- those name the migrating role, which a restore into another cluster may not have.
CREATE FUNCTION grant_backup_access() RETURNS void LANGUAGE plpgsql SET search_path = public AS $fn$
DECLARE
  t record;
BEGIN
  GRANT SELECT ON ALL TABLES IN SCHEMA public TO avtomektep_backup;
  GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO avtomektep_backup;
  FOR t IN
    SELECT c.relname FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relrowsecurity
       AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'backup_read')
  LOOP
    EXECUTE format('CREATE POLICY backup_read ON %I FOR SELECT TO avtomektep_backup USING (current_user = %L)',
                   t.relname, 'avtomektep_backup');
  END LOOP;
END
$fn$;
REVOKE EXECUTE ON FUNCTION grant_backup_access() FROM PUBLIC;

SELECT grant_backup_access();

-- migrate:down

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
            WHERE p.polname = 'backup_read' AND c.relnamespace = 'public'::regnamespace
  LOOP
    EXECUTE format('DROP POLICY backup_read ON %I', t.relname);
  END LOOP;
END
$$;
DROP FUNCTION IF EXISTS grant_backup_access();
REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM avtomektep_backup;
REVOKE SELECT ON ALL SEQUENCES IN SCHEMA public FROM avtomektep_backup;
REVOKE USAGE ON SCHEMA public FROM avtomektep_backup;
