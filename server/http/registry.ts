// The process's one Prometheus registry (prom-client), with its process and Node.js defaults (heap,
// event-loop lag, GC, handles). The web's collectors are in ./metrics.ts, the worker's in jobs/instrument.ts.
import client from "prom-client";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
