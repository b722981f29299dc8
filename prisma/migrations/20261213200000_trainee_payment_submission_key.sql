-- migrate:up

-- A payment typed in at the desk is recorded once, however many times its form is sent: a second tap on
-- "Внести оплату", a form sent again after a lost answer. The card's form carries a key made for that one form
-- (the page's loader), and the key is unique within the school; a form sent again finds the payment it made.
ALTER TABLE trainee_payment ADD COLUMN submission_key uuid;
CREATE UNIQUE INDEX trainee_payment_school_id_submission_key_key ON trainee_payment (school_id, submission_key)
  WHERE submission_key IS NOT NULL;

-- migrate:down

DROP INDEX IF EXISTS trainee_payment_school_id_submission_key_key;
ALTER TABLE trainee_payment DROP COLUMN IF EXISTS submission_key;
