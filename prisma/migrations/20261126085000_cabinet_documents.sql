-- migrate:up

-- The school's cabinet holds every document with legal force (offer 10.8): acts, offer-change and
-- maintenance notices, claims and their answers, force-majeure notices. A notice goes to every school
-- under the same number, so numbers are unique per school and kind. Each recipient's first reading is kept.
ALTER TABLE school_document DROP CONSTRAINT school_document_kind_check;
ALTER TABLE school_document ADD CONSTRAINT school_document_kind_check
  CHECK (kind IN ('act', 'offer_notice', 'maintenance_notice', 'claim', 'claim_answer', 'force_majeure'));
ALTER TABLE school_document DROP CONSTRAINT school_document_kind_number_key;
ALTER TABLE school_document ADD CONSTRAINT school_document_school_kind_number_key UNIQUE (school_id, kind, number);
ALTER TABLE school_document ADD COLUMN content_type text NOT NULL DEFAULT 'application/pdf';
ALTER TABLE school_document ADD COLUMN delivered_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE document_read (
  document_id uuid NOT NULL REFERENCES school_document (id),
  user_id     uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  school_id   uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  read_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_read_school_id_user_id_idx ON document_read (school_id, user_id);
ALTER TABLE document_read ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_read FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON document_read TO avtomektep_app;
GRANT SELECT, INSERT ON document_read TO avtomektep_operator;
CREATE POLICY document_read_app ON document_read FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id() AND user_id = app_user_id());
CREATE POLICY document_read_operator ON document_read FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- migrate:down
DROP TABLE IF EXISTS document_read;
ALTER TABLE school_document DROP COLUMN IF EXISTS delivered_at, DROP COLUMN IF EXISTS content_type;
