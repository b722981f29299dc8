// The background queues by name: the worker runs one consumer per queue, the outbox relay routes each
// message to one, and the operator's console shows their counts (server/queues.ts makes them BullMQ queues).
export const QUEUES = [
  "mail",
  "import",
  "warnings",
  "sms",
  "reminders",
  "billing",
  "contract",
  "notices",
  "archive",
  "privacy",
  "auth",
] as const;
export type QueueName = (typeof QUEUES)[number];
