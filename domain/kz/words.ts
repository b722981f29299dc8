// Amounts in words for invoices and acts ("Сорок пять тысяч тенге 50 тиын" / "Қырық бес мың теңге 50 тиын").
// Whole tenge in words, first letter capital, then the tiyn as two digits — the way Kazakhstan
// accounting software prints the line under the total.
// Kazakh choices (both forms are in use; we pick one and keep to it): a hundred is "жүз", never
// "бір жүз" (101 000 = "жүз бір мың"), while a single thousand, million or billion says "бір" —
// "бір мың", "бір миллион", "бір миллиард" — as invoices commonly write it.

const MAX_TENGE = 999_999_999_999;

const RU = {
  zero: "ноль",
  ones: ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
  onesFem: ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
  teens: [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
  ],
  tens: ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"],
  hundreds: ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"],
  // [one, few (2–4), many]; тысяча is feminine, the others masculine like "тенге"
  scales: [
    null,
    ["тысяча", "тысячи", "тысяч"],
    ["миллион", "миллиона", "миллионов"],
    ["миллиард", "миллиарда", "миллиардов"],
  ] as const,
};

const KK = {
  zero: "нөл",
  ones: ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"],
  tens: ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"],
  scales: ["", "мың", "миллион", "миллиард"],
};

/** Russian plural form index for a count: 1 → 0 (тысяча), 2–4 → 1 (тысячи), else 2 (тысяч). */
function ruForm(n: number): 0 | 1 | 2 {
  const t = n % 100;
  if (t >= 11 && t <= 14) return 2;
  const u = n % 10;
  return u === 1 ? 0 : u >= 2 && u <= 4 ? 1 : 2;
}

function ruTriple(n: number, feminine: boolean): string[] {
  const h = Math.floor(n / 100),
    t = Math.floor((n % 100) / 10),
    u = n % 10;
  const out = [RU.hundreds[h]!];
  if (t === 1) out.push(RU.teens[u]!);
  else out.push(RU.tens[t]!, (feminine ? RU.onesFem : RU.ones)[u]!);
  return out.filter(Boolean);
}

function kkTriple(n: number): string[] {
  const h = Math.floor(n / 100),
    t = Math.floor((n % 100) / 10),
    u = n % 10;
  const out = h === 0 ? [] : h === 1 ? ["жүз"] : [KK.ones[h]!, "жүз"];
  return [...out, KK.tens[t]!, KK.ones[u]!].filter(Boolean);
}

/** Whole number (0 … 999 999 999 999) in words, lower case. */
export function numberInWords(n: number, locale: "kk" | "ru"): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_TENGE) throw new RangeError(`numberInWords: ${n} is out of range`);
  if (n === 0) return locale === "kk" ? KK.zero : RU.zero;
  const words: string[] = [];
  for (let scale = 3; scale >= 0; scale--) {
    const group = Math.floor(n / 1000 ** scale) % 1000;
    if (group === 0) continue;
    if (locale === "kk") {
      words.push(...kkTriple(group), KK.scales[scale]!);
    } else {
      words.push(...ruTriple(group, scale === 1));
      const forms = RU.scales[scale];
      if (forms) words.push(forms[ruForm(group)]);
    }
  }
  return words.filter(Boolean).join(" ");
}

/** Amount in words as written on Kazakhstan invoices:
 *  ru: amountInWords(4500050, "ru") === "Сорок пять тысяч тенге 50 тиын"
 *  kk: amountInWords(4500050, "kk") === "Қырық бес мың теңге 50 тиын"
 *  integer tenge in words (first letter capital), then tiyn as two digits. Up to 999 999 999 999 tenge. */
export function amountInWords(tiyn: number, locale: "kk" | "ru"): string {
  if (!Number.isSafeInteger(tiyn) || tiyn < 0)
    throw new RangeError(`amountInWords: ${tiyn} is not a non-negative whole number of tiyn`);
  const words = numberInWords(Math.floor(tiyn / 100), locale);
  const cents = String(tiyn % 100).padStart(2, "0");
  return `${words[0]!.toUpperCase()}${words.slice(1)} ${locale === "kk" ? "теңге" : "тенге"} ${cents} тиын`;
}
