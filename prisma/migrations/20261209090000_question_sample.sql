-- migrate:up

-- Starter content for a new school (issue 14): the sample question bank (server/quiz/sample-questions.ts)
-- is copied into the school's own question table with one button. sample_key names the sample question
-- a row was copied from; the school may then edit or deactivate it like its own. The unique key makes a
-- second press (or two at once) add nothing twice; rows the school typed itself have no key.
ALTER TABLE question ADD COLUMN sample_key text CHECK (sample_key ~ '^[a-z0-9-]{1,40}$');
CREATE UNIQUE INDEX question_school_id_sample_key_key ON question (school_id, sample_key);

-- migrate:down
DROP INDEX IF EXISTS question_school_id_sample_key_key;
ALTER TABLE question DROP COLUMN IF EXISTS sample_key;
