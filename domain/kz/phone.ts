/** Normalises a Kazakhstan phone number to +7XXXXXXXXXX, or null when it isn't one. */
export function normalizeKzPhone(input: string): string | null {
  const digits = input.replace(/[\s\-()]/g, "");
  const m = digits.match(/^(?:\+7|8|7)?(\d{10})$/);
  return m ? `+7${m[1]}` : null;
}

export function formatKzPhone(phone: string): string {
  const m = phone.match(/^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/);
  return m ? `+7 ${m[1]} ${m[2]} ${m[3]} ${m[4]}` : phone;
}
