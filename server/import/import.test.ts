import ExcelJS from "exceljs";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { translator } from "../../domain/i18n/index.ts";
import { startWorker } from "../../jobs/worker.ts";
import { processImport } from "../../jobs/import.ts";
import { addMember, createSchool, traineeInput, uniqueIin } from "../../tests/factories.ts";
import { buildTemplate, exampleRow, headerFor, MAX_FILE_BYTES, parseWorkbook } from "./xlsx.ts";
import { AppError } from "../errors.ts";
import { headerRowXml, xlsxBomb, xlsxWithSheetXml } from "../../tests/xlsx-bomb.ts";
import { runImport, type ImportJob } from "./service.ts";
import { ADOPTION_COLUMNS, COLUMNS, reasonText, type Column } from "../../domain/import-reasons.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import type { TRPCError } from "@trpc/server";

type Cell = string | number | null;
type School = Awaited<ReturnType<typeof createSchool>>;

/** An .xlsx built on the template's header (in `locale`), one array of cells per row. */
async function xlsx(rows: Partial<Record<Column, Cell>>[], locale: "kk" | "ru" = "ru"): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Лист1");
  ws.addRow(COLUMNS.map((c) => `  ${headerFor(locale, c)}  `)); // extra spaces are tolerated
  for (const r of rows) ws.addRow(COLUMNS.map((c) => r[c] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
}

const person = (overrides: Partial<Record<Column, Cell>> = {}): Partial<Record<Column, Cell>> => ({
  iin: uniqueIin(),
  lastName: "Сапаров",
  firstName: "Ерлан",
  category: "B",
  ...overrides,
});

/** A valid IIN with one digit changed so its check digit no longer matches. */
function breakChecksum(iin: string): string {
  const last = Number(iin[11]);
  return iin.slice(0, 11) + String((last + 1) % 10);
}

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = (schoolId: string) => operatorDb().trainee.count({ where: { schoolId } });
const jobFor = async (importId: string, appliedBy: string): Promise<ImportJob> => {
  const ev = await operatorDb().outboxEvent.findUniqueOrThrow({ where: { jobId: `import.${importId}` } });
  expect(ev.queue).toBe("import");
  return { ...(ev.payload as ImportJob), appliedBy };
};

async function refusal(p: Promise<unknown>, locale: "kk" | "ru" = "ru") {
  const e = await p.then(
    () => null,
    (err: unknown) => err as TRPCError,
  );
  expect(e).not.toBeNull();
  return describeError(e!, locale);
}

let a: School;
beforeAll(async () => {
  a = await createSchool();
});

describe("the template", () => {
  it("has the header in the user's language and parses back, skipping the example row", async () => {
    for (const locale of ["kk", "ru"] as const) {
      const bytes = await buildTemplate(locale);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0]!;
      expect(ws.name).toBe(locale === "kk" ? "Оқушылар" : "Курсанты");
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      expect(header[0]).toBe(locale === "kk" ? "ЖСН *" : "ИИН *");
      expect(header[1]).toBe(locale === "kk" ? "Тегі *" : "Фамилия *");
      expect(header[9]).toBe(locale === "kk" ? "Беріліс қорабы" : "Коробка передач");
      // the example alone is no data; with one real row added, that row is what comes back
      await expect(parseWorkbook(bytes)).rejects.toMatchObject({ messageKey: "traineeImport.noRows" });
      ws.addRow(["040314300123", "Әбенова", "Айгерім", null, null, null, null, null, "B"]);
      const parsed = await parseWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
      expect(parsed.exampleSkipped).toBe(true);
      expect(parsed.rows).toEqual([
        { row: 3, cells: expect.objectContaining({ iin: "040314300123", lastName: "Әбенова", category: "B" }) },
      ]);
      expect(exampleRow(locale).gearbox).toBe(locale === "kk" ? "механикалық" : "механика");
    }
  });

  it("refuses files that are not the template, with a clear message", async () => {
    const d = a.director;
    const notXlsx = await refusal(
      d.traineeImport.upload({
        school: a.slug,
        fileName: "list.csv",
        fileBase64: Buffer.from("a;b").toString("base64"),
      }),
    );
    expect(notXlsx).toMatchObject({
      status: 400,
      message: "Выберите файл Excel (.xlsx). Файлы других форматов не принимаются",
    });
    const garbage = await refusal(
      d.traineeImport.upload({
        school: a.slug,
        fileName: "list.xlsx",
        fileBase64: Buffer.from("not a zip").toString("base64"),
      }),
      "kk",
    );
    expect(garbage.message).toMatch(/Файлды оқу мүмкін болмады/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("x").addRow(["Фамилия", "Имя"]);
    const foreign = await refusal(
      d.traineeImport.upload({
        school: a.slug,
        fileName: "x.xlsx",
        fileBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString("base64"),
      }),
    );
    expect(foreign.message).toBe(
      "Это не файл шаблона: заголовок столбца 1 должен быть «ИИН / ЖСН». Скачайте шаблон на этой странице",
    );
  });
});

describe("the preview", () => {
  it("marks each bad row with its reasons and counts the good ones", async () => {
    const taken = uniqueIin();
    await a.director.trainees.create({ school: a.slug, ...traineeInput({ iin: taken }) });
    const dup = uniqueIin();
    const goodIin = uniqueIin("2004-03-14"); // starts with 0: Excel stores it as a number without the zero
    const badIin = breakChecksum(uniqueIin());
    const fileBase64 = await xlsx([
      person({
        iin: Number(goodIin),
        phone: 87011234567,
        gearbox: "автомат",
        contractNumber: "Д-1",
        contractPrice: 150000,
      }), // row 2
      person({ iin: badIin }), // row 3
      person({ lastName: null }), // row 4
      person({ iin: dup, firstName: "Бірінші" }), // row 5
      person({ iin: dup, firstName: "Екінші" }), // row 6
      person({ iin: taken }), // row 7
      person({ category: "Z", gearbox: "робот", contractPrice: "много" }), // row 8
      person({ category: "в", gearbox: "механикалық", contractPrice: "180 000,50 ₸" }), // row 9: Cyrillic "в" is B
    ]);
    const { id, totalRows, goodRows } = await a.director.traineeImport.upload({
      school: a.slug,
      fileName: "курсанты.xlsx",
      fileBase64,
    });
    expect({ totalRows, goodRows }).toEqual({ totalRows: 8, goodRows: 2 });
    const got = await a.director.traineeImport.get({ school: a.slug, id });
    expect(got.status).toBe("uploaded");
    const ru = translator("ru");
    const byRow = Object.fromEntries(got.report.bad.map((b) => [b.row, b.reasons.map((r) => reasonText(ru, r))]));
    expect(byRow).toEqual({
      3: ["ИИН неверный: не сходится контрольная цифра"],
      4: ["Не заполнен столбец «Фамилия»"],
      5: ["ИИН повторяется в файле: см. строку 6"],
      6: ["ИИН повторяется в файле: см. строку 5"],
      7: ["Курсант с этим ИИН уже есть в автошколе"],
      8: [
        "Неизвестная категория «Z»: укажите A1, A, B1, B, BE, C1, C, C1E, CE, D1, D, D1E, DE, Tb или Tm",
        "Непонятная коробка передач «робот»: укажите «механика» или «автомат»",
        "Стоимость договора «много» — не сумма: укажите число в тенге, например 180000",
      ],
    });
    const kk = translator("kk");
    expect(reasonText(kk, got.report.bad.find((b) => b.row === 4)!.reasons[0]!)).toBe("«Тегі» бағаны толтырылмаған");
    expect(got.report.preview.map((p) => [p.row, p.iin, p.category, p.gearbox])).toEqual([
      [2, goodIin, "B", "automatic"],
      [9, expect.any(String), "B", "manual"],
    ]);
    expect(await count(a.schoolId)).toBe(1); // nothing is written before "import"
  });
});

describe("applying an import", () => {
  it("imports exactly the good rows through the outbox and the worker, with one audit entry", async () => {
    const s = await createSchool();
    const goodIin = uniqueIin("2005-01-02");
    const fileBase64 = await xlsx([
      person({
        iin: Number(goodIin),
        lastName: "Нұрланова",
        phone: 7011234567,
        email: "a@test.kz",
        gearbox: "автоматты",
        contractNumber: "Д-7",
        contractPrice: 150000.5,
      }),
      person({ iin: "123" }),
      person({ lastName: "Ахметов" }),
    ]);
    const { id } = await s.director.traineeImport.upload({ school: s.slug, fileName: "a.xlsx", fileBase64 });
    const worker = await startWorker();
    try {
      await s.director.traineeImport.start({ school: s.slug, id });
      await s.director.traineeImport.start({ school: s.slug, id }); // a second click queues nothing more
      expect(await operatorDb().outboxEvent.count({ where: { jobId: `import.${id}` } })).toBe(1);
      const done = await waitFor(
        () => s.director.traineeImport.status({ school: s.slug, id }),
        (v) => v.status === "done",
      );
      expect({ doneRows: done.doneRows, goodRows: done.goodRows }).toEqual({ doneRows: 2, goodRows: 2 });
    } finally {
      await worker.stop();
    }
    const rows = await operatorDb().trainee.findMany({ where: { schoolId: s.schoolId }, orderBy: { lastName: "asc" } });
    expect(rows.map((r) => r.lastName)).toEqual(["Ахметов", "Нұрланова"]);
    expect(rows[1]).toMatchObject({
      iin: goodIin,
      phone: "+77011234567",
      email: "a@test.kz",
      gearbox: "automatic",
      contractNumber: "Д-7",
      contractPriceTiyn: 15000050n,
      createdById: s.userId,
    });
    const logs = await operatorDb().auditLog.findMany({
      where: { schoolId: s.schoolId, action: { in: ["trainees.imported", "trainee.created"] } },
    });
    expect(logs.map((l) => [l.action, (l.details as { imported: number }).imported, l.actorUserId])).toEqual([
      ["trainees.imported", 2, s.userId],
    ]);
    const result = await s.director.traineeImport.get({ school: s.slug, id });
    expect(result.report).toMatchObject({ imported: 2, skipped: [] });
    expect(result.finishedAt).not.toBeNull();
  });

  it("reports a row that became a duplicate after the preview and imports the rest", async () => {
    const s = await createSchool();
    const [i1, i2, i3] = [uniqueIin(), uniqueIin(), uniqueIin()];
    const { id } = await s.director.traineeImport.upload({
      school: s.slug,
      fileName: "b.xlsx",
      fileBase64: await xlsx([person({ iin: i1 }), person({ iin: i2, lastName: "Қасымов" }), person({ iin: i3 })]),
    });
    await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin: i2 }) }); // someone added him by hand meanwhile
    const worker = await startWorker();
    try {
      await s.director.traineeImport.start({ school: s.slug, id });
      await waitFor(
        () => s.director.traineeImport.status({ school: s.slug, id }),
        (v) => v.status === "done",
      );
    } finally {
      await worker.stop();
    }
    const got = await s.director.traineeImport.get({ school: s.slug, id });
    expect(got.report.imported).toBe(2);
    expect(got.report.skipped).toEqual([{ row: 3, iin: i2, name: "Қасымов Ерлан", reasons: [{ code: "iinTaken" }] }]);
    expect((await operatorDb().trainee.findMany({ where: { schoolId: s.schoolId } })).map((t) => t.iin).sort()).toEqual(
      [i1, i2, i3].sort(),
    );
  });

  it("running the job twice, even at the same moment, imports nothing twice", async () => {
    const s = await createSchool();
    const { id } = await s.director.traineeImport.upload({
      school: s.slug,
      fileName: "c.xlsx",
      fileBase64: await xlsx([person(), person(), person()]),
    });
    await s.director.traineeImport.start({ school: s.slug, id });
    const job = await jobFor(id, s.userId);
    const results = await Promise.all([processImport({ data: job }), processImport({ data: job })]);
    expect(results.sort()).toEqual(["already-done", "done"]);
    expect(await processImport({ data: job })).toBe("already-done");
    expect(await count(s.schoolId)).toBe(3);
    expect(await operatorDb().auditLog.count({ where: { schoolId: s.schoolId, action: "trainees.imported" } })).toBe(1);
  });

  it("a failure half-way rolls everything back: nothing half-imported, status failed", async () => {
    const s = await createSchool();
    const iins = Array.from({ length: 6 }, () => uniqueIin());
    const { id } = await s.director.traineeImport.upload({
      school: s.slug,
      fileName: "d.xlsx",
      fileBase64: await xlsx(iins.map((iin) => person({ iin }))),
    });
    await s.director.traineeImport.start({ school: s.slug, id });
    const job = await jobFor(id, s.userId);
    // After the first chunk, another connection registers a trainee the second chunk is about to insert.
    await expect(
      runImport(job, {
        chunkSize: 3,
        onProgress: async (done) => {
          if (done === 3) await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin: iins[4] }) });
        },
      }),
    ).rejects.toThrow();
    expect(await count(s.schoolId)).toBe(1); // only the one added by hand
    const st = await s.director.traineeImport.status({ school: s.slug, id });
    expect(st).toMatchObject({ status: "failed", doneRows: 0 });
    // the retry BullMQ makes reports that row and imports the other five
    expect(await processImport({ data: job })).toBe("done");
    const got = await s.director.traineeImport.get({ school: s.slug, id });
    expect(got.report.skipped?.map((b) => b.row)).toEqual([6]);
    expect(await count(s.schoolId)).toBe(6);
  });

  it("refuses to start an import that would take the school past its plan's trainee limit", async () => {
    const s = await createSchool();
    const rows = Array.from({ length: 101 }, (_, i) => person({ lastName: `Лимитов${i}` }));
    const { id } = await s.director.traineeImport.upload({
      school: s.slug,
      fileName: "many.xlsx",
      fileBase64: await xlsx(rows),
    });
    await expect(s.director.traineeImport.start({ school: s.slug, id })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "billing.limitTrainees",
    });
    expect(await count(s.schoolId)).toBe(0);
    expect((await s.director.traineeImport.get({ school: s.slug, id })).status).toBe("uploaded");
  });

  it("imports a 2,000-row file fully in one transaction and reports progress while it runs", async () => {
    const s = await createSchool();
    // A plan without a trainee limit (the Start plan allows 100 active trainees).
    const network = await operatorDb().tariffPlan.findUniqueOrThrow({ where: { code: "network" } });
    await operatorDb().subscription.update({ where: { schoolId: s.schoolId }, data: { planId: network.id } });
    const rows = Array.from({ length: 2000 }, (_, i) =>
      person({ lastName: `Тестов${i}`, contractNumber: `Д-${i}`, contractPrice: 200000 }),
    );
    const { id, goodRows } = await s.director.traineeImport.upload({
      school: s.slug,
      fileName: "big.xlsx",
      fileBase64: await xlsx(rows),
    });
    expect(goodRows).toBe(2000);
    await s.director.traineeImport.start({ school: s.slug, id });
    const job = await jobFor(id, s.userId);
    const seen: { done: number; visibleTrainees: number; status: string }[] = [];
    expect(
      await runImport(job, {
        onProgress: async () => {
          // what the page polls, from another connection, while the big transaction is still open
          const st = await s.director.traineeImport.status({ school: s.slug, id });
          seen.push({ done: st.doneRows, visibleTrainees: await count(s.schoolId), status: st.status });
        },
      }),
    ).toBe("done");
    expect(seen.map((x) => x.done)).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    expect(seen.every((x) => x.visibleTrainees === 0 && x.status === "running")).toBe(true);
    expect(await count(s.schoolId)).toBe(2000);
    expect(await s.director.traineeImport.status({ school: s.slug, id })).toMatchObject({
      status: "done",
      doneRows: 2000,
      goodRows: 2000,
    });
  });
});

describe("training before adoption in the file (ADR 029)", () => {
  it("creates each row's record and adopted exams with the trainee; a bad value refuses that row with its reason", async () => {
    const s = await createSchool();
    const [withPrior, plain] = [uniqueIin(), uniqueIin()];
    const tomorrow = addDays(almatyDate(new Date()), 1).split("-").reverse().join(".");
    const fileBase64 = await xlsx([
      person({
        iin: withPrior,
        lastName: "Сәрсенбаева",
        trainingStartedOn: "02.03.2026",
        theoryHoursDone: 130,
        drivingHoursDone: "24,5",
        theoryExamPassedOn: "15.06.2026",
        practicalExamPassedOn: 46223, // a date cell: 20.07.2026
      }), // row 2
      person({ iin: plain }), // row 3: nothing before adoption
      person({ theoryHoursDone: "сто", practicalExamPassedOn: "31.02.2026" }), // row 4
      person({ trainingStartedOn: tomorrow, drivingHoursDone: 600 }), // row 5
      person({ trainingStartedOn: "01.05.2026", theoryExamPassedOn: "01.04.2026" }), // row 6
    ]);
    const { id, goodRows } = await s.director.traineeImport.upload({ school: s.slug, fileName: "a.xlsx", fileBase64 });
    expect(goodRows).toBe(2);
    const got = await s.director.traineeImport.get({ school: s.slug, id });
    for (const [locale, expected] of [
      [
        "ru",
        {
          4: [
            "Внутренний экзамен по вождению сдан (дата): Не дата: укажите ДД.ММ.ГГГГ, например 14.03.2026",
            "Теория до Автомектепа, ч: Часы — число от 0 до 500, например 40 или 12,5",
          ],
          5: [
            "Вождение до Автомектепа, ч: Часы — число от 0 до 500, например 40 или 12,5",
            "Начало обучения (ДД.ММ.ГГГГ): Дата не может быть позже сегодняшнего дня",
          ],
          6: ["Внутренний экзамен по теории сдан (дата): Экзамен не может быть сдан раньше начала обучения"],
        },
      ],
      [
        "kk",
        {
          4: expect.arrayContaining([
            "Автомектепке дейінгі теория, сағ: Сағат — 0-ден 500-ге дейінгі сан, мысалы 40 немесе 12,5",
          ]),
        },
      ],
    ] as const) {
      const t = translator(locale);
      const byRow = Object.fromEntries(got.report.bad.map((b) => [b.row, b.reasons.map((r) => reasonText(t, r))]));
      expect(byRow).toMatchObject(expected);
    }

    // the preview says what each good row carries from before adoption
    expect(got.report.preview.map((p) => p.prior ?? null)).toEqual([
      { theoryMinutes: 130 * 60, drivingMinutes: 24.5 * 60, exams: 2 },
      null,
    ]);
    await s.director.traineeImport.start({ school: s.slug, id });
    expect(await processImport({ data: await jobFor(id, s.userId) })).toBe("done");
    const trainees = await operatorDb().trainee.findMany({ where: { schoolId: s.schoolId } });
    expect(trainees.map((t) => t.iin).sort()).toEqual([withPrior, plain].sort());
    const adopted = trainees.find((t) => t.iin === withPrior)!;
    const card = await s.director.training.card({ school: s.slug, traineeId: adopted.id });
    const director = await operatorDb().user.findUniqueOrThrow({ where: { id: s.userId } });
    expect(card.prior).toMatchObject({
      startedOn: "2026-03-02",
      theoryMinutes: 130 * 60,
      drivingMinutes: 24.5 * 60,
      theoryExam: { takenOn: "2026-06-15", score: null },
      practicalExam: { takenOn: "2026-07-20", score: null },
      enteredBy: director.fullName,
    });
    expect(card.history.map((h) => h.kind)).toEqual(["adoption.entered"]);
    const results = await s.director.exams.results({ school: s.slug, traineeId: adopted.id });
    expect(results.map((r) => [r.kind, r.attempt, r.passed, r.source]).sort()).toEqual([
      ["practical", 1, true, "adoption"],
      ["theory", 1, true, "adoption"],
    ]);
    const other = trainees.find((t) => t.iin === plain)!;
    expect((await s.director.training.card({ school: s.slug, traineeId: other.id })).prior).toBeNull();
  });

  it("still reads a file of the older template, without the five columns", async () => {
    const s = await createSchool();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Лист1");
    const old = COLUMNS.filter((c) => !(ADOPTION_COLUMNS as readonly string[]).includes(c));
    ws.addRow(old.map((c) => headerFor("kk", c)));
    ws.addRow(old.map((c) => (person() as Record<string, Cell>)[c] ?? null));
    const fileBase64 = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
    const { goodRows } = await s.director.traineeImport.upload({ school: s.slug, fileName: "old.xlsx", fileBase64 });
    expect(goodRows).toBe(1);
    // the template itself carries them, in either language
    for (const locale of ["kk", "ru"] as const) {
      const t = await new ExcelJS.Workbook().xlsx.load((await buildTemplate(locale)) as unknown as ExcelJS.Buffer);
      expect((t.worksheets[0]!.getRow(1).values as unknown[]).slice(13)).toEqual(
        ADOPTION_COLUMNS.map((c) => headerFor(locale, c)),
      );
    }
  });
});

describe("who may import", () => {
  it("a member of school B can't read school A's import by its id", async () => {
    const { id } = await a.director.traineeImport.upload({
      school: a.slug,
      fileName: "e.xlsx",
      fileBase64: await xlsx([person()]),
    });
    const b = await createSchool();
    await expect(b.director.traineeImport.get({ school: b.slug, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.director.traineeImport.status({ school: b.slug, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.director.traineeImport.start({ school: b.slug, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await refusal(b.director.traineeImport.get({ school: a.slug, id }))).message).toBe(
      "Вы не состоите в этой автошколе",
    );
    expect((await operatorDb().traineeImport.findUniqueOrThrow({ where: { id } })).status).toBe("uploaded");
  });

  it("an inspector can't upload or start an import", async () => {
    const { id } = await a.director.traineeImport.upload({
      school: a.slug,
      fileName: "f.xlsx",
      fileBase64: await xlsx([person()]),
    });
    const inspector = await addMember(a.schoolId, "inspector");
    const up = await refusal(
      inspector.caller.traineeImport.upload({ school: a.slug, fileName: "g.xlsx", fileBase64: await xlsx([person()]) }),
      "kk",
    );
    expect(up).toMatchObject({ status: 403 });
    const ap = await refusal(inspector.caller.traineeImport.start({ school: a.slug, id }));
    expect(ap).toMatchObject({ status: 403, message: "У вас нет прав на это действие" });
    expect((await operatorDb().traineeImport.findUniqueOrThrow({ where: { id } })).status).toBe("uploaded");
    expect(await operatorDb().outboxEvent.count({ where: { jobId: `import.${id}` } })).toBe(0);
  });
});

describe("bounded reading (a file can't take the server down)", () => {
  const messages = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err as AppError,
    );
    expect(e).toBeInstanceOf(AppError);
    const [ru, kk] = (["ru", "kk"] as const).map((l) => translator(l)(`errors:${e!.messageKey}`, e!.params));
    return { key: e!.messageKey, ru, kk };
  };

  it("refuses a file of more than 5,000 trainees, saying the limit in kk and ru", async () => {
    const rows = Array.from({ length: 5_001 }, (_, i) => person({ lastName: `Көпов${i}` }));
    const bytes = Buffer.from(await xlsx(rows), "base64");
    const m = await messages(parseWorkbook(bytes));
    expect(m.ru).toBe("В одном файле не больше 5\u00a0000 строк. Разделите файл на несколько частей");
    expect(m.kk).toBe("Бір файлда 5\u00a0000 жолдан артық болмауы керек. Файлды бірнеше бөлікке бөліңіз");
    // 5,000 are fine
    expect((await parseWorkbook(Buffer.from(await xlsx(rows.slice(0, 5_000)), "base64"))).rows).toHaveLength(5_000);
  });

  it("refuses a zip bomb (300,000 identical rows, ~245 MB of sheet) after inflating at most the bound", async () => {
    const bomb = await xlsxBomb();
    expect(bomb.length).toBeLessThan(MAX_FILE_BYTES); // it passes the upload's size check
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const m = await messages(parseWorkbook(bomb)).finally(() => clearInterval(sampler));
    expect(m.key).toBe("traineeImport.tooLarge");
    expect(m.ru).toBe(
      "В файле слишком много данных: распакованный лист больше 16 МБ. Импорт принимает до 5\u00a0000 строк по столбцам шаблона — разделите список на несколько файлов",
    );
    expect(m.kk).toContain("5\u00a0000 жолға дейін");
    // what was read stayed small: the heap never grew by more than a few times the bound
    expect(peak - heapBefore).toBeLessThan(120 * 1024 * 1024);
  });

  it("refuses a sheet with more filled cells than a template file can have", async () => {
    const header = headerRowXml();
    const rows = Array.from(
      { length: 5_000 },
      (_, r) => `<row r="${r + 2}">${"<c><v>1</v></c>".repeat(60)}</row>`,
    ).join("");
    const m = await messages(parseWorkbook(await xlsxWithSheetXml(header + rows)));
    expect(m.ru).toBe(
      "В файле больше 250\u00a0000 заполненных ячеек. Оставьте только столбцы шаблона и не больше 5\u00a0000 строк в одном файле",
    );
    expect(m.kk).toContain("250\u00a0000");
  });

  it("reads what Excel and other programs write: inline and rich text, formulas, numbers, cells past the template ignored", async () => {
    const iin = uniqueIin("2004-03-14");
    const c = (ref: string, inner: string, t?: string) => `<c r="${ref}"${t ? ` t="${t}"` : ""}>${inner}</c>`;
    const sheet =
      headerRowXml() +
      `<row r="2">${c("A2", `<v>${Number(iin)}</v>`)}${c("B2", "<is><r><t>Әбен</t></r><r><rPr><b/></rPr><t>ова</t></r><rPh><t>phonetic</t></rPh></is>", "inlineStr")}` +
      `${c("C2", '<f>"Ай"&amp;"герім"</f><v>Айгерім</v>', "str")}${c("I2", '<is><t xml:space="preserve">  B </t></is>', "inlineStr")}` +
      `${c("L2", "<f>150000+0.5</f><v>150000.5</v>")}${c("Z2", "<is><t>заметка</t></is>", "inlineStr")}</row>` +
      `<row r="3">${c("Z3", "<is><t>только заметка</t></is>", "inlineStr")}</row>`;
    const parsed = await parseWorkbook(await xlsxWithSheetXml(sheet));
    expect(parsed.rows).toEqual([
      {
        row: 2,
        cells: expect.objectContaining({
          iin,
          lastName: "Әбенова",
          firstName: "Айгерім",
          category: "B",
          contractPrice: "150000.5",
        }),
      },
    ]);
  });
});
