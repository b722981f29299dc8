// The payer's app's side of Kaspi's check/pay protocol: one request to the merchant's endpoint, its answer read
// back from XML or JSON. Kaspi authenticates with the payee's secret, as HTTP Basic or in the URL (the merchant
// decides which; server/billing/rails/settings.ts takes both).

export type Reply = {
  status: number;
  txnId: string | null;
  prvTxnId: string | null;
  sum: string | null;
  result: number | null;
  comment: string | null;
  /** the body as it came */
  raw: string;
};

export type Wire = {
  /** the merchant's URL, /pay/kaspi/<payee> */
  endpoint: string;
  secret: string;
  auth: "basic" | "path";
  format: "xml" | "json";
  method: "GET" | "POST";
  timeoutMs: number;
};

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!);

/** The flat <response> Kaspi's merchants answer: element name → text ("" for an empty element). */
export function parseXmlResponse(body: string): Record<string, string> | null {
  const inner = /<response>([\s\S]*)<\/response>/.exec(body)?.[1];
  if (inner === undefined) return null;
  const out: Record<string, string> = {};
  for (const m of inner.matchAll(/<([a-z_]+)>([^<]*)<\/\1>|<([a-z_]+)\/>/g)) {
    if (m[1]) out[m[1]] = unescapeXml(m[2]!);
    else out[m[3]!] = "";
  }
  return out;
}

export function readReply(status: number, body: string, contentType: string): Reply {
  let fields: Record<string, unknown> | null = null;
  if (contentType.includes("json")) {
    try {
      fields = JSON.parse(body) as Record<string, unknown>;
    } catch {
      fields = null;
    }
  } else fields = parseXmlResponse(body);
  const str = (k: string) => (fields && fields[k] !== undefined && fields[k] !== "" ? String(fields[k]) : null);
  const result = str("result");
  return {
    status,
    txnId: str("txn_id"),
    prvTxnId: str("prv_txn_id"),
    sum: str("sum"),
    result: result === null ? null : Number(result),
    comment: str("comment"),
    raw: body,
  };
}

export class NoAnswer extends Error {}

/** One request; throws NoAnswer when the answer did not come in time (or the connection broke). */
export async function send(wire: Wire, params: Record<string, string>): Promise<Reply> {
  const base =
    wire.auth === "path" ? `${wire.endpoint.replace(/\/$/, "")}/${encodeURIComponent(wire.secret)}` : wire.endpoint;
  const query = new URLSearchParams(params).toString();
  const headers: Record<string, string> = {
    accept: wire.format === "json" ? "application/json" : "application/xml",
    "user-agent": "KaspiStandIn/1.0 (local)",
  };
  if (wire.auth === "basic") headers.authorization = `Basic ${Buffer.from(`kaspi:${wire.secret}`).toString("base64")}`;
  const init: RequestInit =
    wire.method === "GET"
      ? { method: "GET", headers, signal: AbortSignal.timeout(wire.timeoutMs) }
      : {
          method: "POST",
          headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
          body: query,
          signal: AbortSignal.timeout(wire.timeoutMs),
        };
  try {
    const res = await fetch(wire.method === "GET" ? `${base}?${query}` : base, init);
    const body = await res.text();
    return readReply(res.status, body, res.headers.get("content-type") ?? "");
  } catch (err) {
    throw new NoAnswer(String((err as Error).message));
  }
}
