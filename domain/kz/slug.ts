// Workspace addresses (/s/<slug>) from a school's name, Kazakh and Russian letters transliterated.
const MAP: Record<string, string> = {
  а: "a",
  ә: "a",
  б: "b",
  в: "v",
  г: "g",
  ғ: "g",
  д: "d",
  е: "e",
  ё: "yo",
  ж: "zh",
  з: "z",
  и: "i",
  й: "y",
  к: "k",
  қ: "q",
  л: "l",
  м: "m",
  н: "n",
  ң: "n",
  о: "o",
  ө: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ұ: "u",
  ү: "u",
  ф: "f",
  х: "kh",
  һ: "h",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  і: "i",
  ь: "",
  э: "e",
  ю: "yu",
  я: "ya",
};
// Legal-form words say nothing about which school it is.
const NOISE = /\b(too|tоо|ip|llp|ooo|chu|uchrezhdenie|avtoshkola|avtomektep|avtomektebi|driving|school)\b/g;

export function slugify(name: string): string {
  const latin = [...name.toLowerCase()].map((ch) => MAP[ch] ?? ch).join("");
  let slug = latin
    .replace(NOISE, " ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/, "");
  if (slug.length < 3) slug = `school-${slug}`.replace(/-+$/, "");
  return slug;
}
