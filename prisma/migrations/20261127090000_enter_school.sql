-- migrate:up

-- One round trip into a school's workspace (issue 7: fewer round trips on the hot path). Every school
-- request used to send three statements after BEGIN: set the user, read the school with the caller's
-- memberships, set the school. This function does the same in one call, as the caller (SECURITY
-- INVOKER): row-level security still decides what the school and membership reads may see (a school
-- is visible to its members only), and app.school_id is set only when the user is a member. The
-- settings are transaction-local, as before. No row back: not a member (or no such school).
CREATE FUNCTION app_enter_school(p_slug text, p_user uuid)
  RETURNS TABLE (id uuid, slug text, name text, status text, trial_ends_at timestamptz, roles text[])
  LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  r record;
BEGIN
  PERFORM set_config('app.school_id', '', true), set_config('app.user_id', p_user::text, true),
          set_config('app.invite_token_hash', '', true), set_config('app.trainee_id', '', true);
  SELECT s.id, s.slug, s.name, s.status::text AS status, s.trial_ends_at, array_agg(m.role::text ORDER BY m.role) AS roles
    INTO r
    FROM school s JOIN membership m ON m.school_id = s.id AND m.user_id = p_user
   WHERE s.slug = p_slug
   GROUP BY s.id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM set_config('app.school_id', r.id::text, true);
  id := r.id; slug := r.slug; name := r.name; status := r.status; trial_ends_at := r.trial_ends_at; roles := r.roles;
  RETURN NEXT;
END $$;

-- migrate:down
DROP FUNCTION app_enter_school(text, uuid);
