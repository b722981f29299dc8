-- The one-round-trip yardstick of `npm run bench` (tests/bench/http.ts, bare-server.ts): each hot procedure as one
-- statement a hand-written handler would send — prove the session and enter the school (app_enter_session, the
-- app's own function), then the procedure's SQL as the app runs it (the same indexes, the same row-level
-- security as the app role) — answering JSON. plpgsql keeps each inner statement's plan per connection, and the
-- handler calls the function through a named prepared statement. pgbench runs the same calls for the database's
-- own ceiling. Created in the bench's database only, by its owner; never part of the app's schema.
CREATE SCHEMA IF NOT EXISTS bench;
GRANT USAGE ON SCHEMA bench TO avtomektep_app;

-- The entry every function starts with: 401 for a dead session, 403 for a stranger to the school, else null.
CREATE OR REPLACE FUNCTION bench.refusal(p_session text, p_slug text) RETURNS json
  LANGUAGE plpgsql AS $$
DECLARE
  e record;
BEGIN
  SELECT * INTO e FROM app_enter_session(p_session, p_slug);
  IF NOT e.session_ok THEN RETURN json_build_object('status', 401); END IF;
  IF e.id IS NULL THEN RETURN json_build_object('status', 403); END IF;
  RETURN NULL;
END $$;

-- trainees.list with a status: the page of 25 in Russian name order and the total.
CREATE OR REPLACE FUNCTION bench.list(p_session text, p_slug text, p_status text) RETURNS json
  LANGUAGE plpgsql AS $$
DECLARE
  refused json := bench.refusal(p_session, p_slug);
BEGIN
  IF refused IS NOT NULL THEN RETURN refused; END IF;
  RETURN json_build_object(
    'status', 200,
    'items', (SELECT coalesce(json_agg(x), '[]') FROM (
                SELECT id, last_name, first_name, middle_name, category, status, created_at, name_kk, name_ru, iin, phone
                  FROM trainee WHERE status_key = p_status ORDER BY name_ru, id LIMIT 26) x),
    'total', (SELECT count(*) FROM trainee WHERE status_key = p_status));
END $$;

-- trainees.list with a search: an IIN prefix from the IIN words, or name prefixes from the name words (every
-- term a word of the name), the page of 25 in name order and the number found.
CREATE OR REPLACE FUNCTION bench.search(p_session text, p_slug text, p_q text) RETURNS json
  LANGUAGE plpgsql AS $$
DECLARE
  refused json := bench.refusal(p_session, p_slug);
  ids uuid[];
  found int;
BEGIN
  IF refused IS NOT NULL THEN RETURN refused; END IF;
  IF p_q ~ '^\d+$' THEN
    SELECT array_agg(id) INTO ids FROM (
      SELECT t.id FROM trainee t
       WHERE EXISTS (SELECT 1 FROM trainee_search_word w WHERE w.trainee_id = t.id AND w.kind = 'i'
                        AND w.word >= p_q AND w.word < p_q || chr(1114111))
       ORDER BY t.name_ru, t.id LIMIT 26) p;
    SELECT count(*) INTO found FROM trainee t
     WHERE EXISTS (SELECT 1 FROM trainee_search_word w WHERE w.trainee_id = t.id AND w.kind = 'i'
                      AND w.word >= p_q AND w.word < p_q || chr(1114111));
  ELSE
    WITH terms AS MATERIALIZED (
      SELECT term, term || chr(1114111) AS upper, (row_number() OVER ())::int - 1 AS k
        FROM (SELECT DISTINCT w AS term FROM regexp_split_to_table(p_q, '\s+') q, search_words(search_term(q)) w
               LIMIT 30) t),
    hits AS MATERIALIZED (
      SELECT w.trainee_id AS id, w.name
        FROM terms, LATERAL (SELECT trainee_id, name FROM trainee_search_word w
                              WHERE w.kind = 'n' AND w.word >= terms.term AND w.word < terms.upper OFFSET 0) w
       GROUP BY w.trainee_id, w.name
      HAVING bit_or(1::bigint << terms.k) = (1::bigint << (SELECT count(*) FROM terms)::int) - 1)
    SELECT (SELECT count(*) FROM hits), ARRAY(SELECT id FROM hits ORDER BY name COLLATE names_ru, id LIMIT 26)
      INTO found, ids;
  END IF;
  RETURN json_build_object(
    'status', 200,
    'items', (SELECT coalesce(json_agg(x ORDER BY array_position(ids, x.id)), '[]') FROM (
                SELECT id, last_name, first_name, middle_name, category, status, created_at, name_kk, name_ru, iin, phone
                  FROM trainee WHERE id = ANY(ids)) x),
    'total', found);
END $$;

-- trainees.get: the trainee's row and when the photo last changed.
CREATE OR REPLACE FUNCTION bench.card(p_session text, p_slug text, p_id uuid) RETURNS json
  LANGUAGE plpgsql AS $$
DECLARE
  refused json := bench.refusal(p_session, p_slug);
BEGIN
  IF refused IS NOT NULL THEN RETURN refused; END IF;
  RETURN (SELECT json_build_object('status', 200, 'trainee', to_json(t),
                                   'photoUpdatedAt', (SELECT updated_at FROM trainee_photo WHERE trainee_id = t.id))
            FROM trainee t WHERE t.id = p_id);
END $$;

-- training.lessons: the school's lessons of one week with their trainee, car and instructor.
CREATE OR REPLACE FUNCTION bench.lessons(p_session text, p_slug text, p_from timestamptz, p_to timestamptz)
  RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  refused json := bench.refusal(p_session, p_slug);
BEGIN
  IF refused IS NOT NULL THEN RETURN refused; END IF;
  RETURN json_build_object('status', 200, 'lessons', (SELECT coalesce(json_agg(x), '[]') FROM (
    SELECT l.id, l.starts_at, l.ends_at, l.status::text AS status, l.note, l.cancel_reason, l.cancel_note,
           l.instructor_id, l.vehicle_id, l.marked_at,
           t.id AS trainee_id, t.last_name, t.first_name, t.phone, t.category, v.plate, v.make_model,
           u.full_name AS instructor_name
      FROM driving_lesson l
      JOIN trainee t ON t.id = l.trainee_id
      JOIN vehicle v ON v.id = l.vehicle_id
      LEFT JOIN app_user u ON u.id = l.instructor_id
     WHERE l.starts_at >= p_from AND l.starts_at < p_to
     ORDER BY l.starts_at, l.id
     LIMIT 2000) x));
END $$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bench TO avtomektep_app;
