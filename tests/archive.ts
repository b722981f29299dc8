// Helpers for the school-archive tests: a school with something in every corner (trainees with a photo, a journal,
// a group, a paid invoice with its act, a support ticket with a file, a question with a picture), and a zip read
// back entry by entry with yauzl.
import yauzl from "yauzl";
import pg from "pg";
import { operatorDb } from "../server/db/client.ts";
import { runBillingDay } from "../server/billing/cycle.ts";
import { issueMonthAct, monthOf } from "../server/billing/acts.ts";
import { addOperator, traineeInput } from "./factories.ts";
import { schoolPaidThrough, today } from "./billing.ts";
import { testState } from "./state.ts";

export const PNG_1x1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);
export const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

/** A signed-up school with data in many tables, its act and invoice paid, as a director would have it. */
export async function fullSchool(overrides: Record<string, unknown> = {}) {
  const s = await schoolPaidThrough(2, overrides);
  await runBillingDay(today());
  const invoice = await operatorDb().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId, status: "open" } });
  const op = await addOperator("billing");
  await op.caller.admin.billing.confirmPayment({
    invoiceId: invoice.id,
    amount: String(Number(invoice.amountTiyn) / 100),
    receivedOn: today(),
    reference: `PP-${invoice.number}`,
  });
  // the act of the paid period's first month, drawn up as the monthly run would after that month (ADR 041)
  await operatorDb().$transaction((tx) =>
    issueMonthAct(tx, s.schoolId, monthOf(invoice.periodStart.toISOString().slice(0, 10)).first),
  );
  const { id: groupId } = await s.director.resources.createGroup({
    school: s.slug,
    number: "B-7",
    category: "B",
    startsOn: "2026-12-01",
    endsOn: "2027-02-28",
    teacherId: null,
    timetable: "Дс/Ср/Жм 18:00",
  });
  const trainees = [];
  for (const lastName of ["Сапарова", "Әбілқасымов", "Ким"]) {
    const input = traineeInput({
      lastName,
      phone: "+7 701 555 12 34",
      email: `${lastName.length}${Math.random().toString(36).slice(2, 7)}@trainee.kz`,
      address: "Алматы, Абай даңғылы 1",
    });
    const { id } = await s.director.trainees.create({ school: s.slug, ...input });
    await s.director.training.changeStatus({
      school: s.slug,
      traineeId: id,
      to: "enrolled",
      reason: "Келісімшарт жасалды",
    });
    trainees.push({ id, ...input });
  }
  await operatorDb().trainee.updateMany({ where: { schoolId: s.schoolId }, data: { groupId } });
  await s.director.trainees.setPhoto({ school: s.slug, id: trainees[0]!.id, base64: PNG_1x1.toString("base64") });
  const ticket = await s.director.support.create({
    school: s.slug,
    kind: "remark",
    subject: "Акт ашылмайды",
    text: "Сапарованың актісі",
    files: [{ name: "акт.pdf", base64: PDF.toString("base64") }],
  });
  const question = await s.director.quiz.questions.create({
    school: s.slug,
    category: null,
    textKk: "Бұл қандай белгі?",
    textRu: "Что это за знак?",
    options: [
      { kk: "Тоқта", ru: "Стоп" },
      { kk: "Жол бер", ru: "Уступи" },
    ],
    correct: 0,
    imageBase64: PNG_1x1.toString("base64"),
  });
  const act = await operatorDb().schoolDocument.findFirstOrThrow({ where: { schoolId: s.schoolId, kind: "act" } });
  return { ...s, invoice, act, trainees, groupId, ticketId: ticket.id, questionId: question.id };
}

/** Every entry of a zip, by name (names as stored, UTF-8). */
export function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, file) => {
      if (err || !file) return reject(err ?? new Error("no zip"));
      const out = new Map<string, Buffer>();
      file.on("error", reject);
      file.on("end", () => resolve(out));
      file.on("entry", (entry: yauzl.Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error("no stream"));
          const parts: Buffer[] = [];
          stream.on("data", (c: Buffer) => parts.push(c));
          stream.on("error", reject);
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(parts));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

/** JSON Lines as objects. */
export const jsonLines = (b: Buffer | undefined): Record<string, unknown>[] =>
  (b ?? Buffer.alloc(0))
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * Every table of a school's data, read independently of the code under test: tables with a school_id column, and
 * school itself. (The catalogue as the owner sees it.)
 */
export async function tablesWithSchoolId(): Promise<string[]> {
  const c = new pg.Client({ connectionString: testState.databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ t: string }>(
      "SELECT DISTINCT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'school_id' ORDER BY 1",
    );
    return ["school", ...rows.map((r) => r.t)].sort();
  } finally {
    await c.end();
  }
}

/** How many rows of `table` belong to the school, counted by the operator role. */
export async function rowsOf(table: string, schoolId: string): Promise<number> {
  const column = table === "school" ? "id" : "school_id";
  const [row] = await operatorDb().$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "${table}" WHERE ${column} = $1::uuid`,
    schoolId,
  );
  return row!.n;
}
