-- migrate:up

-- Why a driving lesson was cancelled (issue 14): one of a short list, and an optional note that the
-- trainee's notice repeats. The journal entry of the cancellation keeps them too (the audit); these
-- columns let the schedule and the notice say it without reading the journal.
ALTER TABLE driving_lesson
  ADD COLUMN cancel_reason text
    CHECK (cancel_reason IN ('trainee_ill', 'instructor_ill', 'vehicle_unavailable', 'weather', 'other')),
  ADD COLUMN cancel_note text CHECK (length(cancel_note) <= 500);

-- Lessons cancelled before there was a list: "other", with the note the old form put in `note`. The migrating
-- owner is itself subject to the forced row-level security (no policy names it), so an UPDATE would see no row
-- and the constraint below would then fail on a database with cancelled lessons: the backfill runs with the
-- forcing lifted for this transaction only.
ALTER TABLE driving_lesson NO FORCE ROW LEVEL SECURITY;
UPDATE driving_lesson SET cancel_reason = 'other', cancel_note = left(note, 500) WHERE status = 'cancelled';
ALTER TABLE driving_lesson FORCE ROW LEVEL SECURITY;

-- A cancelled lesson always says why; any other lesson has no cancellation reason.
ALTER TABLE driving_lesson ADD CONSTRAINT driving_lesson_cancel_reason_given
  CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL));

-- The trainee's own cancellation writes the reason with the status (the policy still pins the row).
GRANT UPDATE (cancel_reason, cancel_note) ON driving_lesson TO avtomektep_trainee;

-- migrate:down

REVOKE UPDATE (cancel_reason, cancel_note) ON driving_lesson FROM avtomektep_trainee;
ALTER TABLE driving_lesson DROP CONSTRAINT driving_lesson_cancel_reason_given;
ALTER TABLE driving_lesson DROP COLUMN cancel_note, DROP COLUMN cancel_reason;
