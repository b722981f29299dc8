-- migrate:up

-- The register at 200,000 trainees (docs/decisions/028-name-order-and-search.md, "Speed", second part).
--
-- 1. A status filter could not use an index. Row-level security lets the planner put a condition into an index scan
--    only when its operator is LEAKPROOF; the equality of an enum (enum_eq) is not, so "status = 'training'" read
--    the school's trainees in name order and dropped the others (53,000 rows before the first match). Text equality
--    is leakproof, so the status is kept beside itself as text, and the indexes that serve a status filter in name
--    order are on that text. A CASE over the labels, because a cast of an enum to text is not immutable; a test keeps
--    it in step with the type (tests/trainee-list-speed.test.ts).
ALTER TABLE trainee ADD COLUMN status_key text GENERATED ALWAYS AS (
  CASE status
    WHEN 'applicant' THEN 'applicant'
    WHEN 'enrolled' THEN 'enrolled'
    WHEN 'training' THEN 'training'
    WHEN 'exams' THEN 'exams'
    WHEN 'graduated' THEN 'graduated'
    WHEN 'expelled' THEN 'expelled'
    WHEN 'transferred' THEN 'transferred'
  END) STORED NOT NULL;
DROP INDEX trainee_school_id_status_name_kk_id_idx;
DROP INDEX trainee_school_id_status_name_ru_id_idx;
CREATE INDEX trainee_school_id_status_key_name_kk_id_idx ON trainee (school_id, status_key, name_kk, id);
CREATE INDEX trainee_school_id_status_key_name_ru_id_idx ON trainee (school_id, status_key, name_ru, id);

-- 2. A name word shared by thousands of trainees ("жумаб": 13,000 of 200,000) was slow: the page walked the name
--    index and asked the word table about each trainee on the way. Now the words answer alone: each name word carries
--    the trainee's full name and creation time (what the register sorts by), and an index over the name words
--    includes them, so a search reads its hits from one index, sorts them and keeps a page; the trainee rows are read
--    for that page only. The IIN and phone words, which match a handful of trainees, keep the index they had.
ALTER TABLE trainee_search_word ADD COLUMN name text, ADD COLUMN created_at timestamptz;

ALTER TABLE trainee NO FORCE ROW LEVEL SECURITY;
ALTER TABLE trainee_search_word NO FORCE ROW LEVEL SECURITY;
UPDATE trainee_search_word w SET name = t.name_kk, created_at = t.created_at
  FROM trainee t WHERE t.id = w.trainee_id AND w.kind = 'n';
ALTER TABLE trainee_search_word FORCE ROW LEVEL SECURITY;
ALTER TABLE trainee FORCE ROW LEVEL SECURITY;

ALTER TABLE trainee_search_word ADD CONSTRAINT trainee_search_word_sort_keys
  CHECK ((kind = 'n') = (name IS NOT NULL AND created_at IS NOT NULL));

CREATE INDEX trainee_search_word_name_idx ON trainee_search_word (school_id, word, trainee_id)
  INCLUDE (name, created_at) WHERE kind = 'n';
DROP INDEX trainee_search_word_lookup_idx;
CREATE INDEX trainee_search_word_lookup_idx ON trainee_search_word (school_id, kind, word, trainee_id)
  WHERE kind <> 'n';

-- A name gives two or three words: the planner's guess of 1,000 made a search look costly enough to compile.
ALTER FUNCTION search_words(text) ROWS 4;

CREATE OR REPLACE FUNCTION trainee_search_word_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  digits text := regexp_replace(coalesce(NEW.phone, ''), '[^0-9]', '', 'g');
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM public.trainee_search_word WHERE trainee_id = NEW.id;
  END IF;
  INSERT INTO public.trainee_search_word (school_id, trainee_id, kind, word, name, created_at)
  SELECT NEW.school_id, NEW.id, 'n', w, NEW.name_kk, NEW.created_at FROM public.search_words(NEW.search_key) AS w
  UNION
  SELECT NEW.school_id, NEW.id, 'i', NEW.iin, NULL, NULL WHERE NEW.iin <> ''
  UNION
  SELECT NEW.school_id, NEW.id, 'p', right(digits, n), NULL, NULL FROM generate_series(4, length(digits)) AS n;
  RETURN NULL;
END
$fn$;

-- A renamed trainee whose folded words stay the same (Әлиев → Алиев) still moves in the order: the name is compared too.
DROP TRIGGER trainee_search_word_on_update ON trainee;
CREATE TRIGGER trainee_search_word_on_update AFTER UPDATE OF last_name, first_name, middle_name, latin_name, iin, phone
  ON trainee FOR EACH ROW
  WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key OR OLD.name_kk IS DISTINCT FROM NEW.name_kk
        OR OLD.iin IS DISTINCT FROM NEW.iin OR OLD.phone IS DISTINCT FROM NEW.phone)
  EXECUTE FUNCTION trainee_search_word_sync();

SELECT grant_backup_access();

-- migrate:down

DROP TRIGGER trainee_search_word_on_update ON trainee;
CREATE TRIGGER trainee_search_word_on_update AFTER UPDATE OF last_name, first_name, middle_name, latin_name, iin, phone
  ON trainee FOR EACH ROW
  WHEN (OLD.search_key IS DISTINCT FROM NEW.search_key OR OLD.iin IS DISTINCT FROM NEW.iin
        OR OLD.phone IS DISTINCT FROM NEW.phone)
  EXECUTE FUNCTION trainee_search_word_sync();

CREATE OR REPLACE FUNCTION trainee_search_word_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
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

ALTER FUNCTION search_words(text) ROWS 1000;
DROP INDEX trainee_search_word_lookup_idx;
CREATE INDEX trainee_search_word_lookup_idx ON trainee_search_word (school_id, kind, word, trainee_id);
DROP INDEX trainee_search_word_name_idx;
ALTER TABLE trainee_search_word DROP CONSTRAINT trainee_search_word_sort_keys;
ALTER TABLE trainee_search_word DROP COLUMN created_at, DROP COLUMN name;

DROP INDEX trainee_school_id_status_key_name_ru_id_idx;
DROP INDEX trainee_school_id_status_key_name_kk_id_idx;
ALTER TABLE trainee DROP COLUMN status_key;
CREATE INDEX trainee_school_id_status_name_kk_id_idx ON trainee (school_id, status, name_kk, id);
CREATE INDEX trainee_school_id_status_name_ru_id_idx ON trainee (school_id, status, name_ru, id);
