-- migrate:up

-- Support tickets (offer 4.1.2, 4.4.3): a school's staff send remarks, proposals and feedback from the
-- cabinet; the operator must give a first response within the support hours' deadline (due_at, counted by
-- supportDeadline at opening: 8 support hours for a remark, 16 for a proposal or feedback). A ticket is
-- overdue when it has no first response by due_at. Tickets are numbered per school (1, 2, 3 …).
CREATE TABLE support_ticket (
  id                uuid PRIMARY KEY,
  school_id         uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  number            integer NOT NULL CHECK (number > 0),
  author_id         uuid NOT NULL REFERENCES app_user (id),
  kind              text NOT NULL CHECK (kind IN ('remark', 'proposal', 'feedback')),
  subject           text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  text              text NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  opened_at         timestamptz NOT NULL DEFAULT now(),
  due_at            timestamptz NOT NULL CHECK (due_at > opened_at),
  first_response_at timestamptz,
  closed_at         timestamptz,
  closed_by         uuid REFERENCES app_user (id),
  UNIQUE (school_id, number)
);
-- The operator's queue: open tickets by deadline.
CREATE INDEX support_ticket_due_idx ON support_ticket (due_at) WHERE status <> 'closed';
CREATE INDEX support_ticket_school_id_opened_at_idx ON support_ticket (school_id, opened_at DESC);

-- The conversation: the author's follow-ups and the operator's replies (each reply is e-mailed to the author).
CREATE TABLE support_message (
  id            uuid PRIMARY KEY,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  ticket_id     uuid NOT NULL REFERENCES support_ticket (id) ON DELETE CASCADE,
  author_id     uuid NOT NULL REFERENCES app_user (id),
  from_operator boolean NOT NULL,
  text          text NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_message_school_id_ticket_id_idx ON support_message (school_id, ticket_id, created_at);

-- Attachments of a ticket (at most 3, 5 MB each; the type is recognised from the content, not the name).
CREATE TABLE support_attachment (
  id           uuid PRIMARY KEY,
  school_id    uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  ticket_id    uuid NOT NULL REFERENCES support_ticket (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'application/pdf', 'text/plain')),
  size         integer NOT NULL CHECK (size > 0 AND size <= 5242880),
  content      bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX support_attachment_school_id_ticket_id_idx ON support_attachment (school_id, ticket_id);

GRANT SELECT, INSERT ON support_ticket, support_message, support_attachment TO avtomektep_app;
GRANT UPDATE (status) ON support_ticket TO avtomektep_app;
GRANT SELECT, INSERT, UPDATE ON support_ticket, support_message, support_attachment TO avtomektep_operator;

ALTER TABLE support_ticket     ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_ticket     FORCE ROW LEVEL SECURITY;
ALTER TABLE support_message    ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_message    FORCE ROW LEVEL SECURITY;
ALTER TABLE support_attachment ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_attachment FORCE ROW LEVEL SECURITY;

CREATE POLICY support_ticket_app ON support_ticket FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY support_message_app ON support_message FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id() AND NOT from_operator);
CREATE POLICY support_attachment_app ON support_attachment FOR ALL TO avtomektep_app
  USING (school_id = app_school_id()) WITH CHECK (school_id = app_school_id());
CREATE POLICY support_ticket_operator ON support_ticket FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY support_message_operator ON support_message FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY support_attachment_operator ON support_attachment FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

-- migrate:down
DROP TABLE IF EXISTS support_attachment;
DROP TABLE IF EXISTS support_message;
DROP TABLE IF EXISTS support_ticket;
