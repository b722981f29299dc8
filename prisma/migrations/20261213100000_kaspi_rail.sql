-- migrate:up

-- Kaspi payments (docs/decisions/038-kaspi-payments.md): Kaspi calls us with check/pay (its "payments to the
-- merchant" protocol); a pay becomes a payment with method 'kaspi' through the same ledger as a card payment.
-- (The new enum value is not used in this file: PostgreSQL allows it only after the commit.)
ALTER TYPE payment_method ADD VALUE IF NOT EXISTS 'kaspi';

-- Every pay a rail sent, with the answer we gave, once per (rail, txn_id): a repeated pay finds its row and gets
-- the same answer (and the same prv_txn_id, which is this row's id) — two at once are serialised on the txn_id.
-- A refused pay is kept too: the protocol answers a repeat with the first answer, whatever it was.
CREATE TABLE rail_txn (
  id         bigserial PRIMARY KEY,
  rail       text NOT NULL CHECK (rail IN ('kaspi')),
  payee      text NOT NULL,
  txn_id     text NOT NULL,
  account    text NOT NULL,
  sum_tiyn   bigint,
  txn_date   timestamptz,
  result     integer NOT NULL,
  comment    text NOT NULL,
  invoice_id uuid REFERENCES invoice (id),
  payment_id uuid UNIQUE REFERENCES payment (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (rail, txn_id)
);
CREATE INDEX rail_txn_invoice_id_idx ON rail_txn (invoice_id);

-- Every request a rail made, whatever became of it (refused for the secret or the address included): the
-- operator's record of what the payment system asked and what we answered. Values are kept as sent, cut short.
CREATE TABLE rail_request (
  id          bigserial PRIMARY KEY,
  rail        text NOT NULL,
  payee       text NOT NULL,
  command     text,
  txn_id      text,
  account     text,
  sum         text,
  result      integer,
  http_status integer NOT NULL,
  prv_txn_id  bigint,
  note        text,
  remote_addr text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rail_request_at_idx ON rail_request (at DESC);
CREATE INDEX rail_request_txn_idx ON rail_request (rail, txn_id);

-- The operator's Kaspi settings: on, the name payers find in the Kaspi app, and per payee the secret (its
-- SHA-256 only) and the addresses Kaspi calls from. The seed is the public development secret on loopback:
-- `npm start` pays through the local stand-in with it, production refuses it (server/billing/rails/settings.ts).
INSERT INTO platform_setting (key, value) VALUES
  ('kaspi', '{"enabled": true, "serviceName": "Avtomektep", "payees": {"avtomektep": {"secretSha256": "821d2738179f01f8ea3942cc91a9fcb325943b3b80c61b3e3b441357b4527a58", "secretSetAt": null, "allowedIps": ["127.0.0.1", "::1"]}}}')
ON CONFLICT (key) DO NOTHING;

GRANT SELECT, INSERT ON rail_txn, rail_request TO avtomektep_operator;
GRANT USAGE ON SEQUENCE rail_txn_id_seq, rail_request_id_seq TO avtomektep_operator;

SELECT grant_backup_access();

-- migrate:down

DROP TABLE IF EXISTS rail_request, rail_txn;
DELETE FROM platform_setting WHERE key = 'kaspi';
-- PostgreSQL cannot drop an enum value; payment rows with 'kaspi' would stop the rest anyway.
