-- migrate:up

-- A school's data, whole (docs/decisions/021-school-archive-and-anonymisation.md).
--
-- school_archive: one export of everything of one school, requested by its director or by the operator and
-- built by the `archive` job. The zip itself lives in school_archive_chunk as 1 MB pieces, written and read in
-- order, so neither the worker nor the web process ever holds the whole file; web and worker are stateless and
-- may run on different machines, and the database is what both reach. Kept 7 days (expires_at), then the daily
-- `privacy` job deletes the chunks and marks the row expired; the row itself stays as the record of the export.
CREATE TABLE school_archive (
  id             uuid PRIMARY KEY,
  school_id      uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  requested_by   uuid NOT NULL REFERENCES app_user (id),
  requested_via  text NOT NULL CHECK (requested_via IN ('school', 'operator')),
  requested_at   timestamptz NOT NULL DEFAULT now(),
  status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'building', 'ready', 'failed', 'expired')),
  progress_done  integer NOT NULL DEFAULT 0 CHECK (progress_done >= 0),
  progress_total integer NOT NULL DEFAULT 0 CHECK (progress_total >= 0),
  attempts       integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  started_at     timestamptz,
  ready_at       timestamptz,
  expires_at     timestamptz,
  expired_at     timestamptz,
  file_name      text,
  size_bytes     bigint CHECK (size_bytes >= 0),
  sha256         text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  chunk_count    integer CHECK (chunk_count >= 0),
  error          text,
  CHECK (status <> 'ready' OR (ready_at IS NOT NULL AND expires_at IS NOT NULL AND size_bytes IS NOT NULL AND chunk_count IS NOT NULL AND file_name IS NOT NULL)),
  CHECK ((status = 'expired') = (expired_at IS NOT NULL))
);
CREATE INDEX school_archive_school_id_requested_at_idx ON school_archive (school_id, requested_at DESC);
CREATE INDEX school_archive_expires_at_idx ON school_archive (expires_at) WHERE status = 'ready';
-- One build at a time per school: a second request while one is queued or building is refused by the key.
CREATE UNIQUE INDEX school_archive_one_open_idx ON school_archive (school_id) WHERE status IN ('queued', 'building');

CREATE TABLE school_archive_chunk (
  archive_id uuid NOT NULL REFERENCES school_archive (id) ON DELETE CASCADE,
  seq        integer NOT NULL CHECK (seq >= 0),
  school_id  uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  content    bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 2097152),
  PRIMARY KEY (archive_id, seq)
);
CREATE INDEX school_archive_chunk_school_id_idx ON school_archive_chunk (school_id, archive_id);
-- Zip data is compressed already: store it out of line without trying to compress it again.
ALTER TABLE school_archive_chunk ALTER COLUMN content SET STORAGE EXTERNAL;

-- The job reads the school as the app role with app.school_id set (RLS holds it to the one school) and writes
-- the chunks and the finished state the same way; the operator role keeps the books (progress, failure,
-- expiry) and serves the operator's download.
GRANT SELECT, INSERT, UPDATE ON school_archive TO avtomektep_app, avtomektep_operator;
GRANT SELECT, INSERT ON school_archive_chunk TO avtomektep_app;
GRANT SELECT, INSERT, DELETE ON school_archive_chunk TO avtomektep_operator;

ALTER TABLE school_archive ENABLE ROW LEVEL SECURITY;
ALTER TABLE school_archive FORCE ROW LEVEL SECURITY;
ALTER TABLE school_archive_chunk ENABLE ROW LEVEL SECURITY;
ALTER TABLE school_archive_chunk FORCE ROW LEVEL SECURITY;
CREATE POLICY school_archive_app ON school_archive FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY school_archive_operator ON school_archive FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY school_archive_chunk_app ON school_archive_chunk FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY school_archive_chunk_operator ON school_archive_chunk FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- A withdrawal of the personal-data consent taking effect: the daily job anonymises the school once and records
-- when and what (counts per table) here; anonymised_at IS NULL is what the job looks for.
ALTER TABLE consent_withdrawal ADD COLUMN anonymised_at timestamptz;
ALTER TABLE consent_withdrawal ADD COLUMN anonymised jsonb;
CREATE INDEX consent_withdrawal_due_idx ON consent_withdrawal (effective_on) WHERE status = 'accepted' AND anonymised_at IS NULL;

-- What the anonymisation (operator role) needs beyond the operator's existing rights, and nothing more:
-- delivered SMS lose the number and the text (e-mail deliveries are already updatable), support attachments
-- go, exam corrections lose their free text, an anonymised user's sign-in links and opt-out token go, and
-- messages to them not yet handed to the queue are dropped from the outbox.
GRANT UPDATE (to_phone, body) ON sms_delivery TO avtomektep_operator;
GRANT DELETE ON support_attachment, security_link, unsubscribe_token, outbox_event TO avtomektep_operator;
GRANT UPDATE (old_note, new_note, reason) ON exam_result_correction TO avtomektep_operator;

-- migrate:down
REVOKE UPDATE (old_note, new_note, reason) ON exam_result_correction FROM avtomektep_operator;
REVOKE DELETE ON support_attachment, security_link, unsubscribe_token, outbox_event FROM avtomektep_operator;
REVOKE UPDATE (to_phone, body) ON sms_delivery FROM avtomektep_operator;
DROP INDEX IF EXISTS consent_withdrawal_due_idx;
ALTER TABLE consent_withdrawal DROP COLUMN IF EXISTS anonymised, DROP COLUMN IF EXISTS anonymised_at;
DROP TABLE IF EXISTS school_archive_chunk, school_archive;
