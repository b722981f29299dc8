-- migrate:up

-- The operator's invoice desk (docs/decisions/037-invoice-desk.md): an invoice voided with a reason, refunds
-- of payments, credit notes, and the school's credit balance (overpayments and credit notes) carried to the
-- next invoice. Every action of the desk carries the key of the form that asked for it (request_key), unique,
-- so a double-submitted form finds its row and changes nothing twice; what the balance gains or loses is a
-- row with a unique key of its own, so a retried billing run applies a credit once.

-- Who voided an invoice and when (the reason is invoice.voided_reason); the credit taken off its amount.
ALTER TABLE invoice
  ADD COLUMN voided_at timestamptz,
  ADD COLUMN voided_by uuid REFERENCES app_user (id),
  ADD COLUMN credit_tiyn bigint NOT NULL DEFAULT 0,
  ADD CONSTRAINT invoice_credit_tiyn_check CHECK (credit_tiyn >= 0 AND credit_tiyn <= amount_tiyn);

-- A credit note is a document of the school's cabinet like an act.
ALTER TABLE school_document DROP CONSTRAINT school_document_kind_check;
ALTER TABLE school_document ADD CONSTRAINT school_document_kind_check
  CHECK (kind IN ('act', 'offer_notice', 'maintenance_notice', 'claim', 'claim_answer', 'force_majeure', 'credit_note'));

-- A refund the operator made of a payment: a bank refund with the bank's reference, or a card refund made in
-- Stripe (the reference is Stripe's refund id). payment.refunded_tiyn stays the sum the ledger acts on.
CREATE TABLE payment_refund (
  id            uuid PRIMARY KEY,
  request_key   uuid NOT NULL UNIQUE,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  payment_id    uuid NOT NULL REFERENCES payment (id),
  amount_tiyn   bigint NOT NULL CHECK (amount_tiyn > 0),
  reference     text NOT NULL,
  reason        text,
  actor_user_id uuid NOT NULL REFERENCES app_user (id),
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_refund_school_id_at_idx ON payment_refund (school_id, at);
CREATE INDEX payment_refund_payment_id_idx ON payment_refund (payment_id);

-- A credit note against an invoice: numbered KN-YYYY-NNNNN without gaps (doc_counter), its PDF in the cabinet.
CREATE TABLE credit_note (
  id            uuid PRIMARY KEY,
  request_key   uuid NOT NULL UNIQUE,
  school_id     uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  invoice_id    uuid NOT NULL REFERENCES invoice (id),
  number        text NOT NULL UNIQUE CHECK (number ~ '^KN-[0-9]{4}-[0-9]{5,7}$'),
  amount_tiyn   bigint NOT NULL CHECK (amount_tiyn > 0),
  reason        text NOT NULL,
  document_id   uuid NOT NULL REFERENCES school_document (id),
  actor_user_id uuid NOT NULL REFERENCES app_user (id),
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_note_school_id_at_idx ON credit_note (school_id, at);
CREATE INDEX credit_note_invoice_id_idx ON credit_note (invoice_id);

-- The school's credit balance as entries: + an overpayment or a credit note, − a credit taken off an invoice or
-- an overpayment refunded. The balance is their sum (never below zero: the ledger takes no more than it has).
-- key: 'overpayment:<payment>', 'credit-note:<note>', 'applied:<invoice>', 'applied-note:<note>',
-- 'refund:<payment>:<refunded so far>' — each allowed once.
CREATE TABLE school_credit (
  id             uuid PRIMARY KEY,
  key            text NOT NULL UNIQUE,
  school_id      uuid NOT NULL REFERENCES school (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('overpayment', 'credit_note', 'applied', 'refund')),
  amount_tiyn    bigint NOT NULL CHECK (amount_tiyn <> 0),
  invoice_id     uuid REFERENCES invoice (id),
  payment_id     uuid REFERENCES payment (id),
  credit_note_id uuid REFERENCES credit_note (id),
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX school_credit_school_id_at_idx ON school_credit (school_id, at);
CREATE INDEX school_credit_payment_id_idx ON school_credit (payment_id) WHERE payment_id IS NOT NULL;

-- The ledger is the operator's; a school reads its own part.
GRANT SELECT ON payment_refund, credit_note, school_credit TO avtomektep_app;
GRANT SELECT, INSERT ON payment_refund, credit_note, school_credit TO avtomektep_operator;
ALTER TABLE payment_refund ENABLE ROW LEVEL SECURITY;
ALTER TABLE payment_refund FORCE ROW LEVEL SECURITY;
ALTER TABLE credit_note    ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_note    FORCE ROW LEVEL SECURITY;
ALTER TABLE school_credit  ENABLE ROW LEVEL SECURITY;
ALTER TABLE school_credit  FORCE ROW LEVEL SECURITY;
CREATE POLICY payment_refund_app ON payment_refund FOR SELECT TO avtomektep_app USING (school_id = (SELECT app_school_id()));
CREATE POLICY credit_note_app ON credit_note FOR SELECT TO avtomektep_app USING (school_id = (SELECT app_school_id()));
CREATE POLICY school_credit_app ON school_credit FOR SELECT TO avtomektep_app USING (school_id = (SELECT app_school_id()));
CREATE POLICY payment_refund_operator ON payment_refund FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY credit_note_operator ON credit_note FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);
CREATE POLICY school_credit_operator ON school_credit FOR ALL TO avtomektep_operator USING (true) WITH CHECK (true);

SELECT grant_backup_access();

-- migrate:down
DROP TABLE IF EXISTS school_credit, credit_note, payment_refund;
ALTER TABLE school_document DROP CONSTRAINT school_document_kind_check;
ALTER TABLE school_document ADD CONSTRAINT school_document_kind_check
  CHECK (kind IN ('act', 'offer_notice', 'maintenance_notice', 'claim', 'claim_answer', 'force_majeure'));
ALTER TABLE invoice DROP CONSTRAINT IF EXISTS invoice_credit_tiyn_check,
  DROP COLUMN IF EXISTS credit_tiyn, DROP COLUMN IF EXISTS voided_by, DROP COLUMN IF EXISTS voided_at;
