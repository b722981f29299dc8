// Reading the dev/test mail sink over HTTP: no SMTP or MIME libraries, so the web app can use it.
export type SunkMessage = { id: number; to: string[]; from: string; subject: string; text: string; receivedAt: string };

export async function fetchSunkMail(sinkUrl: string, to?: string): Promise<SunkMessage[]> {
  const res = await fetch(`${sinkUrl}/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`);
  return (await res.json()) as SunkMessage[];
}
