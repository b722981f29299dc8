// The register in each language's alphabetical order, and a search that finds a trainee however a registrar
// types the name or the phone (ADR 028). Real Kazakh and Russian surnames throughout.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { addMember, callerFor, createSchool, traineeInput, uniqueIin } from "../../tests/factories.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

async function readerIn(s: School, locale: "kk" | "ru") {
  await operatorDb().user.update({ where: { id: s.userId }, data: { locale } });
  return callerFor(s.userId);
}

const SURNAMES = [
  "Ізбасаров",
  "Абаев",
  "Әбілов",
  "Яковлев",
  "Ғалымов",
  "Қасымов",
  "Үмбетов",
  "Өтегенов",
  "Ұлықбеков",
  "Һарунов",
  "Ыбыраев",
  "Иванов",
  "Борисов",
];

describe("the register's order", () => {
  let s: School;
  beforeAll(async () => {
    s = await createSchool();
    for (const lastName of SURNAMES) {
      await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName, firstName: "Асқар" }) });
    }
  });

  async function allPages(locale: "kk" | "ru") {
    const reader = await readerIn(s, locale);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reader.trainees.list({ school: s.slug, limit: 4, cursor });
      seen.push(...page.items.map((t) => t.lastName));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  }

  it("follows the Kazakh alphabet for a Kazakh reader, page after page (Ә after А, Ғ after Г, І after Ы)", async () => {
    expect(await allPages("kk")).toEqual([
      "Абаев",
      "Әбілов",
      "Борисов",
      "Ғалымов",
      "Иванов",
      "Қасымов",
      "Өтегенов",
      "Ұлықбеков",
      "Үмбетов",
      "Һарунов",
      "Ыбыраев",
      "Ізбасаров",
      "Яковлев",
    ]);
  });

  it("follows the Russian order for a Russian reader (І beside И), and the XLSX register does the same", async () => {
    const ru = [
      "Абаев",
      "Әбілов",
      "Борисов",
      "Ғалымов",
      "Иванов",
      "Ізбасаров",
      "Қасымов",
      "Өтегенов",
      "Үмбетов",
      "Ұлықбеков",
      "Һарунов",
      "Ыбыраев",
      "Яковлев",
    ];
    expect(await allPages("ru")).toEqual(ru);
    const group = await s.director.resources.createGroup({
      school: s.slug,
      number: "B-12",
      category: "B",
      startsOn: "2026-12-01",
      endsOn: "2027-02-28",
    });
    const reader = await readerIn(s, "ru");
    const candidates = await reader.resources.groupCandidates({ school: s.slug, id: group.id });
    expect(candidates.map((c) => c.lastName)).toEqual(ru);
  });
});

describe("the register's search", () => {
  let s: School;
  const iin = uniqueIin("2003-04-05");
  beforeAll(async () => {
    s = await createSchool();
    await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({
        iin,
        lastName: "Сәрсенбаев",
        firstName: "Нұржан",
        middleName: "Қайратұлы",
        phone: "+7 701 111 22 33",
      }),
    });
    await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ lastName: "Сарсенова", firstName: "Асель", phone: "+7 702 555 44 00" }),
    });
    await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ lastName: "Жұмабеков", firstName: "Нұржан", latinName: "ZHUMABEKOV NURZHAN" }),
    });
  });

  // a Kazakh reader: the results come in Kazakh order (Сарсенова before Сәрсенбаев)
  const found = async (q: string) =>
    (await (await readerIn(s, "kk")).trainees.list({ school: s.slug, q })).items.map(
      (t) => `${t.lastName} ${t.firstName}`,
    );

  it("finds by the full name in either order, and by any part of it", async () => {
    expect(await found("Сәрсенбаев Нұржан")).toEqual(["Сәрсенбаев Нұржан"]);
    expect(await found("Нұржан Сәрсенбаев")).toEqual(["Сәрсенбаев Нұржан"]);
    expect(await found("сәрсенбаев қайратұлы")).toEqual(["Сәрсенбаев Нұржан"]);
    expect(await found("Нұржан")).toEqual(["Жұмабеков Нұржан", "Сәрсенбаев Нұржан"]);
    expect(await found("Сәрсенбаев Асқар")).toEqual([]);
  });

  it("finds Kazakh names typed without Kazakh letters, in any case", async () => {
    expect(await found("САРСЕНБАЕВ")).toEqual(["Сәрсенбаев Нұржан"]);
    expect(await found("сарсен")).toEqual(["Сарсенова Асель", "Сәрсенбаев Нұржан"]);
    expect(await found("Нуржан Жумабеков")).toEqual(["Жұмабеков Нұржан"]);
  });

  it("finds names typed in Latin letters: passport spelling, Kazakh Latin, or as heard", async () => {
    expect(await found("Sarsenbayev")).toEqual(["Сәрсенбаев Нұржан"]);
    expect(await found("Särsenbaev Nūrjan")).toEqual(["Сәрсенбаев Нұржан"]);
    expect(await found("zhumabekov")).toEqual(["Жұмабеков Нұржан"]);
    expect(await found("Qairatuly")).toEqual(["Сәрсенбаев Нұржан"]);
  });

  it("finds by the phone in any written form, and by a part of it", async () => {
    for (const q of ["+7 701 111 22 33", "8 (701) 111-22-33", "87011112233", "7011112233", "111 22 33"]) {
      expect(await found(q), q).toEqual(["Сәрсенбаев Нұржан"]);
    }
    expect(await found("+7 701 111 22 34")).toEqual([]);
  });

  it("finds by an IIN prefix, and a wildcard character is only itself", async () => {
    expect(await found(iin.slice(0, 8))).toEqual(["Сәрсенбаев Нұржан"]);
    expect(await found("Сәр%")).toEqual([]);
    expect(await found("_")).toEqual([]);
  });

  it("the certificate register finds its holders the same way: without Kazakh letters, in Latin, in any order", async () => {
    const holder = await operatorDb().trainee.findFirstOrThrow({
      where: { schoolId: s.schoolId, lastName: "Сәрсенбаев" },
    });
    await operatorDb().certificate.create({
      data: {
        id: randomUUID(),
        schoolId: s.schoolId,
        number: 7,
        traineeId: holder.id,
        category: "B",
        issuedBy: s.userId,
      },
    });
    const holders = async (q: string) =>
      (await s.director.exams.certificates({ school: s.slug, status: "all", q })).map((c) => c.trainee.fullName);
    for (const q of ["САРСЕНБАЕВ", "нуржан сарсенбаев", "Sarsenbayev"]) {
      expect(await holders(q), q).toEqual(["Сәрсенбаев Нұржан Қайратұлы"]);
    }
    expect(await holders("Сарсенова")).toEqual([]);
  });

  it("follows a corrected name and phone: found by the new ones, no longer by the old", async () => {
    const iin2 = uniqueIin("2001-02-03");
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ iin: iin2, lastName: "Оспанов", firstName: "Ерлан", phone: "+7 705 000 11 22" }),
    });
    await s.director.trainees.update({
      school: s.slug,
      id,
      data: traineeInput({ iin: iin2, lastName: "Оспан", firstName: "Ерлан", phone: "+7 705 999 88 77" }),
    });
    expect(await found("Оспан Ерлан")).toEqual(["Оспан Ерлан"]);
    expect(await found("Оспанов")).toEqual([]);
    expect(await found("000 11 22")).toEqual([]);
    expect(await found("999 88 77")).toEqual(["Оспан Ерлан"]);
  });

  it("an instructor, who does not see phones, cannot find a trainee by one", async () => {
    const instructor = await addMember(s.schoolId, "instructor");
    const list = await instructor.caller.trainees.list({ school: s.slug, q: "+7 701 111 22 33" });
    expect(list.items).toEqual([]);
  });
});

// A word many trainees share is answered from the search words alone (migration 20261213080000): the same order,
// paging, filters and total as the rest of the register.
describe("a search many trainees match", () => {
  let s: School;
  const people: { lastName: string; firstName: string; status: string; category: string }[] = [];
  beforeAll(async () => {
    s = await createSchool();
    const last = ["Жұмабеков", "Жумабаева", "Жұмабай", "Жұмағали", "Ахметов"];
    const first = ["Нұржан", "Әсел", "Данияр", "Ерлан", "Жұмабек"];
    const statuses = ["applicant", "enrolled", "training", "exams"];
    for (let i = 0; i < 25; i++) {
      const p = {
        lastName: last[i % 5]!,
        firstName: first[(i * 3) % 5]!,
        status: statuses[i % 4]!,
        category: i % 3 ? "B" : "C",
      };
      const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ ...p, status: undefined }) });
      await operatorDb().trainee.update({ where: { id }, data: { status: p.status as "applicant" } });
      people.push(p);
    }
  });

  const hasWord = (p: (typeof people)[number], prefix: string) =>
    `${p.lastName} ${p.firstName}`
      .toLowerCase()
      .replace(/ұ/g, "у")
      .split(" ")
      .some((w) => w.startsWith(prefix));

  async function everyPage(input: { q: string; status?: "training"; category?: "B"; sort?: "newest" }) {
    const reader = await readerIn(s, "kk");
    const names: string[] = [];
    const totals = new Set<number>();
    let cursor: string | undefined;
    do {
      const page = await reader.trainees.list({ school: s.slug, limit: 4, cursor, ...input });
      names.push(...page.items.map((t) => `${t.lastName} ${t.firstName}`));
      totals.add(page.total);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { names, totals: [...totals] };
  }

  it("pages through every match in the reader's order, each once, with the same total on every page", async () => {
    const expected = people
      .filter((p) => hasWord(p, "жумаб"))
      .map((p) => `${p.lastName} ${p.firstName}`)
      .sort((a, b) => a.localeCompare(b, "kk"));
    const { names, totals } = await everyPage({ q: "жумаб" });
    // Жұмабек as a first name is a match too: 16 surnames + Ахметов Жұмабек
    expect(names).toHaveLength(expected.length);
    expect(names).toEqual(expected);
    expect(totals).toEqual([expected.length]);
  });

  it("newest first pages through the same matches, each once", async () => {
    const { names, totals } = await everyPage({ q: "жумаб", sort: "newest" });
    const expected = people
      .filter((p) => hasWord(p, "жумаб"))
      .map((p) => `${p.lastName} ${p.firstName}`)
      .reverse();
    expect(names).toEqual(expected);
    expect(totals).toEqual([expected.length]);
  });

  it("keeps the status and category filters with a search, and counts only what they let through", async () => {
    const want = people.filter((p) => hasWord(p, "жумаб") && p.status === "training" && p.category === "B");
    const { names, totals } = await everyPage({ q: "жумаб", status: "training", category: "B" });
    expect(names.sort()).toEqual(want.map((p) => `${p.lastName} ${p.firstName}`).sort());
    expect(totals).toEqual([want.length]);
    expect(want.length).toBeGreaterThan(0);
  });

  it("needs every word: two words find only the trainees that have both", async () => {
    const { names } = await everyPage({ q: "жумабек нуржан" });
    expect(names).toEqual(
      people
        .filter((p) => hasWord(p, "жумабек") && hasWord(p, "нуржан"))
        .map((p) => `${p.lastName} ${p.firstName}`)
        .sort((a, b) => a.localeCompare(b, "kk")),
    );
  });

  it("moves a renamed trainee in the order even when the folded words stay the same (Әлиев → Алиев)", async () => {
    const other = await createSchool();
    const reader = await readerIn(other, "kk");
    await other.director.trainees.create({
      school: other.slug,
      ...traineeInput({ lastName: "Ахметов", firstName: "Бекзат" }),
    });
    const { id } = await other.director.trainees.create({
      school: other.slug,
      ...traineeInput({ lastName: "Әлиев", firstName: "Бекзат" }),
    });
    const order = async () =>
      (await reader.trainees.list({ school: other.slug, q: "бекзат" })).items.map((t) => t.lastName);
    expect(await order()).toEqual(["Ахметов", "Әлиев"]);
    const t = await operatorDb().trainee.findUniqueOrThrow({ where: { id } });
    await other.director.trainees.update({
      school: other.slug,
      id,
      data: traineeInput({ iin: t.iin, lastName: "Алиев", firstName: "Бекзат" }),
    });
    expect(await order()).toEqual(["Алиев", "Ахметов"]);
  });
});

it("the status kept as text follows every status a trainee can have", async () => {
  const s = await createSchool();
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
  const statuses = await operatorDb().$queryRaw<
    { s: string }[]
  >`SELECT unnest(enum_range(NULL::trainee_status))::text AS s`;
  expect(statuses.length).toBeGreaterThanOrEqual(7);
  for (const { s: status } of statuses) {
    const t = await operatorDb().trainee.update({
      where: { id },
      data: { status: status as "applicant" },
      select: { statusKey: true },
    });
    expect(t.statusKey).toBe(status);
    const listed = await s.director.trainees.list({ school: s.slug, status: status as "applicant" });
    expect(listed.total).toBe(1);
  }
});
