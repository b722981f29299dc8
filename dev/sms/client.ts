// Reading the dev/test SMS gateway over HTTP (the web app's /dev/sms page and the tests use this).
export type GatewaySms = { id: string; to: string; text: string; receivedAt: string };

export async function fetchGatewaySms(gatewayUrl: string, to?: string): Promise<GatewaySms[]> {
  const res = await fetch(`${gatewayUrl}/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`);
  return (await res.json()) as GatewaySms[];
}
