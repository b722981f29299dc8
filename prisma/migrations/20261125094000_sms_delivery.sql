-- migrate:up

-- One row per SMS handed to the provider: the SMS job's idempotency key (like email_delivery).
CREATE TABLE sms_delivery (
  job_id      text PRIMARY KEY,
  to_phone    text NOT NULL,
  body        text NOT NULL,
  provider_id text,
  sent_at     timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON sms_delivery TO avtomektep_operator;

-- migrate:down
DROP TABLE IF EXISTS sms_delivery;
