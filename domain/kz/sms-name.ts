// A school's name as an SMS can carry it. One SMS segment holds 70 Cyrillic characters, and the school's
// registered name ("ТОО «Автошкола „Жол қауіпсіздігі“»") spends half of them on the legal form and quotes;
// cutting it at a fixed length left "Автошкола «Жол қау". The name people know is kept whole.

const LEGAL_FORMS = /^(?:ТОО|ЖШС|ИП|ЖК|АО|АҚ|ЧУ|ЖМ|ОО|ҚБ|LLP)\s+/iu;
const QUOTES = /[«»"„“”'‘’]/gu;

/** The school's name for an SMS: without the legal form and quotes, and at most `max` characters, cut between words. */
export function smsSchoolName(name: string, max = 24): string {
  const plain = name.replace(QUOTES, "").replace(LEGAL_FORMS, "").replace(/\s+/g, " ").trim() || name.trim();
  if (plain.length <= max) return plain;
  const words = plain.split(" ");
  let out = "";
  for (const w of words) {
    if ((out ? `${out} ${w}` : w).length > max - 1) break;
    out = out ? `${out} ${w}` : w;
  }
  // a first word longer than the limit is cut; anything cut is marked with an ellipsis
  return `${out || plain.slice(0, max - 1)}…`;
}
