-- migrate:up

-- The hot path in one statement (issue 16, ADR 044): the session check joins the school's entry. A school
-- request used to look its session up in a statement of its own before the transaction; now the statement
-- that enters the school also proves the session: it exists, has not expired, and its user is not
-- deactivated. Only then is app.user_id set and app_enter_school asked for the school and the caller's roles
-- (which sets app.school_id for row-level security, a member only). Logging out, "sign out everywhere" and
-- deactivating a user therefore take effect on the very next request of every web process, whatever the
-- process remembered about the cookie. As the caller (SECURITY INVOKER), like app_enter_school.
-- One row always: session_ok false (and nothing set) for a dead session; the school's columns empty when
-- the user is not a member of it (or there is no such school).
CREATE FUNCTION app_enter_session(p_session text, p_slug text)
  RETURNS TABLE (session_ok boolean, user_id uuid, id uuid, slug text, name text, status text,
                 trial_ends_at timestamptz, roles text[])
  LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  u uuid;
  r record;
BEGIN
  PERFORM set_config('app.school_id', '', true), set_config('app.user_id', '', true),
          set_config('app.invite_token_hash', '', true), set_config('app.trainee_id', '', true);
  SELECT s.user_id INTO u
    FROM session s JOIN app_user a ON a.id = s.user_id
   WHERE s.id = p_session AND s.expires_at > now() AND a.deactivated_at IS NULL;
  session_ok := u IS NOT NULL;
  user_id := u;
  IF u IS NOT NULL THEN
    SELECT * INTO r FROM app_enter_school(p_slug, u);
    IF r.id IS NOT NULL THEN
      id := r.id; slug := r.slug; name := r.name; status := r.status; trial_ends_at := r.trial_ends_at;
      roles := r.roles;
    END IF;
  END IF;
  RETURN NEXT;
END $$;

-- migrate:down
DROP FUNCTION app_enter_session(text, text);
