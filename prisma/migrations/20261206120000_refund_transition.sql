-- migrate:up

-- A full card refund now moves the school down the access ladder as a step of its own (cause 'refund'), for
-- the same payment whose arrival restored it (cause 'payment'): one step per payment AND cause, not per payment
-- (docs/decisions/024-auth-hardening.md).
DROP INDEX access_transition_payment_idx;
CREATE UNIQUE INDEX access_transition_payment_idx ON access_transition (payment_id, cause) WHERE cause IN ('payment', 'refund');

-- migrate:down

DROP INDEX access_transition_payment_idx;
CREATE UNIQUE INDEX access_transition_payment_idx ON access_transition (payment_id) WHERE cause IN ('payment', 'refund');
