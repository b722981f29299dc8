-- migrate:up

-- The register's search, fast at 200,000 trainees under row-level security (docs/decisions/028-name-order-and-search.md,
-- "Speed").
--
-- The trigram index on trainee.search_key was never used for a tenant's query: row-level security lets the planner
-- put a condition into an index scan only when its operator is LEAKPROOF, and LIKE (textlike) is not, so every
-- search read all of a school's rows and filtered them afterwards. Comparisons of text (<, >=, =) are leakproof.
--
-- So each trainee's searchable words are kept in a table of their own, one row per word, and a search word
-- matches by prefix as a range on a btree: word >= 'сарсен' AND word < 'сарсен' || U+10FFFF, in the "C"
-- collation (byte order, which is what a prefix range needs).
--   n  a word of the name: folded (search_fold) and as a Latin skeleton (search_latin), and of the Latin name
--      from the ID — the words of search_key, split also at hyphens and apostrophes;
--   i  the IIN (searched by prefix);
--   p  every ending of the phone's digits from 4 digits to the whole 11 ("77011112233", "7011112233", …,
--      "2233"), so any run of digits the phone contains is the prefix of one of them.
-- The words are the database's to keep: a trigger rewrites a trainee's rows whenever the name, the IIN or the
-- phone changes (an anonymised trainee's old name leaves the index with it), and a trainee's rows go with the
-- trainee.
CREATE TABLE trainee_search_word (
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  trainee_id uuid NOT NULL REFERENCES trainee (id) ON DELETE CASCADE,
  kind       text NOT NULL CHECK (kind IN ('n', 'i', 'p')),
  word       text COLLATE "C" NOT NULL CHECK (word <> ''),
  PRIMARY KEY (trainee_id, kind, word)
);
CREATE INDEX trainee_search_word_lookup_idx ON trainee_search_word (school_id, kind, word, trainee_id);

GRANT SELECT, INSERT, DELETE ON trainee_search_word TO avtomektep_app, avtomektep_operator;
ALTER TABLE trainee_search_word ENABLE ROW LEVEL SECURITY;
ALTER TABLE trainee_search_word FORCE ROW LEVEL SECURITY;
CREATE POLICY trainee_search_word_app_all ON trainee_search_word FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY trainee_search_word_operator ON trainee_search_word FOR ALL TO avtomektep_operator
  USING (true) WITH CHECK (true);

-- A search word's text as stored: split at spaces, hyphens, apostrophes and dots.
CREATE FUNCTION search_words(s text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
BEGIN ATOMIC
  SELECT DISTINCT w FROM regexp_split_to_table(s, '[[:space:]''’.-]+') AS w WHERE w <> '';
END;

-- Schema-qualified throughout: a restore runs with an empty search_path.
CREATE FUNCTION trainee_search_word_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  digits text := regexp_replace(coalesce(NEW.phone, ''), '[^0-9]', '', 'g');
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM public.trainee_search_word WHERE trainee_id = NEW.id;
  END IF;
  INSERT INTO public.trainee_search_word (school_id, trainee_id, kind, word)
  SELECT NEW.school_id, NEW.id, 'n', w FROM public.search_words(NEW.search_key) AS w
  UNION
  SELECT NEW.school_id, NEW.id, 'i', NEW.iin WHERE NEW.iin <> ''
  UNION
  SELECT NEW.school_id, NEW.id, 'p', right(digits, n) FROM generate_series(4, length(digits)) AS n;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER trainee_search_word_on_insert AFTER INSERT ON trainee
  FOR EACH ROW EXECUTE FUNCTION trainee_search_word_sync();
CREATE TRIGGER trainee_search_word_on_update AFTER UPDATE OF last_name, first_name, middle_name, latin_name, iin, phone
  ON trainee FOR EACH ROW
  WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key OR OLD.iin IS DISTINCT FROM NEW.iin
        OR OLD.phone IS DISTINCT FROM NEW.phone)
  EXECUTE FUNCTION trainee_search_word_sync();

-- The trainees already here. The migrating owner is itself under the forced row-level security (no policy names
-- it), so the forcing is lifted on both tables for this transaction only.
ALTER TABLE trainee NO FORCE ROW LEVEL SECURITY;
ALTER TABLE trainee_search_word NO FORCE ROW LEVEL SECURITY;
INSERT INTO trainee_search_word (school_id, trainee_id, kind, word)
SELECT t.school_id, t.id, 'n', w FROM trainee t, search_words(t.search_key) AS w
UNION
SELECT t.school_id, t.id, 'i', t.iin FROM trainee t WHERE t.iin <> ''
UNION
SELECT t.school_id, t.id, 'p', right(d.digits, n)
  FROM trainee t, LATERAL (SELECT regexp_replace(coalesce(t.phone, ''), '[^0-9]', '', 'g') AS digits) d,
       generate_series(4, length(d.digits)) AS n;
ALTER TABLE trainee_search_word FORCE ROW LEVEL SECURITY;
ALTER TABLE trainee FORCE ROW LEVEL SECURITY;

-- Replaced by trainee_search_word (it could not be used under row-level security).
DROP INDEX trainee_search_key_trgm_idx;

SELECT grant_backup_access();

-- migrate:down

CREATE INDEX trainee_search_key_trgm_idx ON trainee USING gin (search_key gin_trgm_ops);
DROP TRIGGER IF EXISTS trainee_search_word_on_update ON trainee;
DROP TRIGGER IF EXISTS trainee_search_word_on_insert ON trainee;
DROP FUNCTION IF EXISTS trainee_search_word_sync();
DROP FUNCTION IF EXISTS search_words(text);
DROP TABLE IF EXISTS trainee_search_word;
