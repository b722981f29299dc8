-- migrate:up

-- Names in each language's alphabetical order, and a search that finds a trainee however the name is typed
-- (docs/decisions/028-name-order-and-search.md).
--
-- Order: the register sorted by last_name sorted by code point (І first, then А…Я, then Ғ, Қ, Ң, Ү). Two
-- generated columns hold the full name under an ICU collation each, Kazakh (А Ә Б … Ұ Ү … Ы І …) and Russian,
-- so `ORDER BY name_kk` and a keyset cursor `name_kk > $1` both compare in that language's order. The
-- collations are created here (managed PostgreSQL with ICU allows it to the database owner), not taken from
-- pg_collation, so a server whose initdb imported no ICU locales still has them.
CREATE COLLATION IF NOT EXISTS names_kk (provider = icu, locale = 'kk-KZ');
CREATE COLLATION IF NOT EXISTS names_ru (provider = icu, locale = 'ru-RU');

-- Search: lower case with the Kazakh letters folded to their Russian look-alikes (ә→а, ғ→г, қ→к, ң→н, ө→о,
-- ұ/ү→у, һ→х, і→и) and ё→е, so "САРСЕНБАЕВ" finds Сәрсенбаев.
CREATE FUNCTION search_fold(s text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN translate(lower(s), 'әғқңөұүһіё', 'агкноуухие');

-- The same name as a Latin skeleton: Cyrillic transliterated, Kazakh Latin (2021) and passport spellings folded
-- to one form (ж/zh → j, х/kh → h, y → i, q → k, ä → a, ş → sh, …) and an i between two vowels dropped, so
-- "Sarsenbayev", "Särsenbaev" and Сәрсенбаев meet at "sarsenbaev". Lossy on purpose: it only has to agree
-- with itself on both sides of a search.
CREATE FUNCTION search_latin(s text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  -- schema-qualified: a restore (pg_restore) runs with an empty search_path and recomputes the generated columns
  r text := translate(public.search_fold(s), 'абвгдезийклмнопрстуфыэäğqñöūüıéyw', 'abvgdeziiklmnoprstufieagknouuieiv');
  pair text[];
BEGIN
  FOREACH pair SLICE 1 IN ARRAY ARRAY[
    ['ж', 'j'], ['zh', 'j'], ['х', 'h'], ['kh', 'h'], ['ц', 'ts'], ['ч', 'ch'], ['ç', 'ch'], ['щ', 'sh'],
    ['ш', 'sh'], ['ş', 'sh'], ['ю', 'iu'], ['я', 'ia'], ['x', 'ks'], ['ъ', ''], ['ь', '']
  ] LOOP
    r := replace(r, pair[1], pair[2]);
  END LOOP;
  RETURN regexp_replace(r, '([aeiou])i([aeiou])', '\1\2', 'g');
END
$$;

-- A search word as typed: with Latin letters it goes to the Latin skeleton, otherwise it is folded.
CREATE FUNCTION search_term(s text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN CASE WHEN search_fold(s) ~ '[a-zäğqñöūüıéşç]' THEN search_latin(s) ELSE search_fold(s) END;

ALTER TABLE trainee
  ADD COLUMN name_kk text COLLATE names_kk NOT NULL
    GENERATED ALWAYS AS (last_name || ' ' || first_name || ' ' || coalesce(middle_name, '')) STORED,
  ADD COLUMN name_ru text COLLATE names_ru NOT NULL
    GENERATED ALWAYS AS (last_name || ' ' || first_name || ' ' || coalesce(middle_name, '')) STORED,
  -- every part of the name, folded and as a Latin skeleton, and the Latin name from the ID: each word of a
  -- search is looked for in here (trigram index), in any order
  ADD COLUMN search_key text NOT NULL
    GENERATED ALWAYS AS (
      search_fold(last_name || ' ' || first_name || ' ' || coalesce(middle_name, ''))
      || ' ' || search_latin(last_name || ' ' || first_name || ' ' || coalesce(middle_name, ''))
      || ' ' || coalesce(search_latin(latin_name), '')
    ) STORED;

CREATE INDEX trainee_school_id_name_kk_id_idx ON trainee (school_id, name_kk, id);
CREATE INDEX trainee_school_id_name_ru_id_idx ON trainee (school_id, name_ru, id);
CREATE INDEX trainee_school_id_status_name_kk_id_idx ON trainee (school_id, status, name_kk, id);
CREATE INDEX trainee_school_id_status_name_ru_id_idx ON trainee (school_id, status, name_ru, id);
CREATE INDEX trainee_search_key_trgm_idx ON trainee USING gin (search_key gin_trgm_ops);
DROP INDEX trainee_school_id_last_name_first_name_id_idx;
DROP INDEX trainee_school_id_status_last_name_idx;
DROP INDEX trainee_last_name_trgm_idx;
DROP INDEX trainee_first_name_trgm_idx;

-- migrate:down

CREATE INDEX trainee_school_id_last_name_first_name_id_idx ON trainee (school_id, last_name, first_name, id);
CREATE INDEX trainee_school_id_status_last_name_idx ON trainee (school_id, status, last_name, first_name, id);
CREATE INDEX trainee_last_name_trgm_idx ON trainee USING gin (last_name gin_trgm_ops);
CREATE INDEX trainee_first_name_trgm_idx ON trainee USING gin (first_name gin_trgm_ops);
ALTER TABLE trainee DROP COLUMN search_key, DROP COLUMN name_ru, DROP COLUMN name_kk;
DROP FUNCTION search_term(text);
DROP FUNCTION search_latin(text);
DROP FUNCTION search_fold(text);
DROP COLLATION names_ru;
DROP COLLATION names_kk;
