import { config } from "../config.ts";

/** What the system needs from an SMS provider. */
export interface SmsProvider {
  send(to: string, text: string): Promise<{ providerId: string }>;
}

/**
 * The HTTP provider client: POST {to, text} as JSON to SMS_GATEWAY_URL/send, with a Bearer
 * SMS_API_KEY when set. In dev and tests the URL is the local gateway (dev/sms/gateway.ts).
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  async send(to: string, text: string) {
    const res = await fetch(`${this.baseUrl}/send`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
      },
      body: JSON.stringify({ to, text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`SMS provider answered ${res.status}`);
    const { id } = (await res.json()) as { id: string };
    return { providerId: id };
  }
}

export function smsProvider(): SmsProvider | null {
  const { SMS_GATEWAY_URL, SMS_API_KEY } = config();
  return SMS_GATEWAY_URL ? new HttpSmsProvider(SMS_GATEWAY_URL, SMS_API_KEY) : null;
}
