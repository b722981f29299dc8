import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addMember, createSchool } from "../../tests/factories.ts";
import { asTraineeRole } from "../../tests/trainee-role.ts";
import { questionBank, traineeCaller } from "../../tests/quiz.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { nextAttemptAt, type ExamRulesValue } from "./rules.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

type Me = Awaited<ReturnType<typeof traineeCaller>>;

/** Starts an attempt, answers the first `answered` questions (the first `right` of them correctly) and finishes it. */
async function sitExam(s: School, me: Me, answered: number, right = answered) {
  const { id } = await me.caller.quizCabinet.start({ school: s.slug });
  const qs = (await me.caller.quizCabinet.current({ school: s.slug })).running!.questions;
  for (const [i, q] of qs.slice(0, answered).entries()) {
    await me.caller.quizCabinet.answer({ school: s.slug, attemptId: id, questionId: q.id, choice: i < right ? 0 : 1 });
  }
  await me.caller.quizCabinet.finish({ school: s.slug, attemptId: id });
  return { id, questionIds: qs.map((q) => q.id), answeredIds: qs.slice(0, answered).map((q) => q.id) };
}

/** Moves the trainee's attempts `minutes` into the past, as if they had been sat then. */
async function backdate(traineeId: string, minutes: number) {
  const ms = minutes * 60_000;
  for (const a of await operatorDb().examAttempt.findMany({ where: { traineeId } })) {
    await operatorDb().examAttempt.update({
      where: { id: a.id },
      data: {
        startedAt: new Date(a.startedAt.getTime() - ms),
        deadlineAt: new Date(a.deadlineAt.getTime() - ms),
        finishedAt: a.finishedAt ? new Date(a.finishedAt.getTime() - ms) : null,
      },
    });
  }
}

/** Tomorrow's date in Almaty as DD.MM.YYYY. */
const tomorrow = () => {
  const [y, m, d] = addDays(almatyDate(new Date()), 1).split("-");
  return `${d}.${m}.${y}`;
};

const noWait = (s: School, dailyLimit = 20) =>
  s.director.quiz.saveRules({ school: s.slug, cooldownMinutes: "0", dailyLimit: String(dailyLimit) });

describe("the review after an online attempt", () => {
  it("of an attempt finished without answers shows no correct option at all", async () => {
    const s = await createSchool();
    await questionBank(s, 40);
    const me = await traineeCaller(s);
    const { id } = await sitExam(s, me, 0);
    const review = await me.caller.quizCabinet.review({ school: s.slug, attemptId: id });
    expect(review).toMatchObject({ correct: 0, passed: false, answered: 0 });
    expect(review.questions).toHaveLength(40);
    for (const q of review.questions)
      expect({ chosen: q.chosen, correct: q.correct, right: q.right }).toEqual({
        chosen: null,
        correct: null,
        right: null,
      });
  });

  it("marks the trainee's own answers right or wrong, shows the correct option of a wrong one, and nothing of the unanswered", async () => {
    const s = await createSchool();
    await questionBank(s, 40);
    const me = await traineeCaller(s);
    const { id, questionIds } = await sitExam(s, me, 3, 2); // two right, one wrong, 37 unanswered
    const review = await me.caller.quizCabinet.review({ school: s.slug, attemptId: id });
    const byId = new Map(review.questions.map((q) => [q.id, q]));
    expect(byId.get(questionIds[0]!)).toMatchObject({ chosen: 0, right: true, correct: 0 });
    expect(byId.get(questionIds[2]!)).toMatchObject({ chosen: 1, right: false, correct: 0 });
    expect(review.questions.filter((q) => q.correct !== null)).toHaveLength(3);
    expect(review).toMatchObject({ correct: 2, answered: 3 });
  });

  it("the database itself gives the trainee role no correct option of an unanswered question", async () => {
    const s = await createSchool();
    await questionBank(s, 40);
    const me = await traineeCaller(s);
    const { id, answeredIds } = await sitExam(s, me, 1);
    await asTraineeRole({ schoolId: s.schoolId, traineeId: me.traineeId }, async (c) => {
      const { rows } = await c.query<{ question_id: string; correct: number | null }>(
        "SELECT question_id::text, correct FROM quiz_attempt_questions($1)",
        [id],
      );
      expect(rows).toHaveLength(40);
      expect(rows.filter((r) => r.correct !== null).map((r) => r.question_id)).toEqual(answeredIds);
    });
  });
});

describe("a retake", () => {
  it("waits for the school's cooldown (60 minutes unless the director changes it), saying until when", async () => {
    const s = await createSchool();
    await questionBank(s, 80);
    const me = await traineeCaller(s);
    expect(await s.director.quiz.rules({ school: s.slug })).toMatchObject({ cooldownMinutes: 60, dailyLimit: 3 });
    await sitExam(s, me, 40);
    const err = await me.caller.quizCabinet.start({ school: s.slug }).catch((e) => e);
    expect(err.code).toBe("BAD_REQUEST");
    expect(describeError(err, "ru").message).toMatch(
      /^Между попытками перерыв 60 мин\. Следующую попытку можно начать \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/,
    );
    expect(describeError(err, "kk").message).toMatch(
      /^Талпыныстар арасындағы үзіліс — 60 мин\. Келесі талпынысты \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} бастауға болады$/,
    );
    const cur = await me.caller.quizCabinet.current({ school: s.slug });
    expect(cur.nextAttemptAt).toBeInstanceOf(Date);
    expect(cur.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
    expect(cur.running).toBeNull();
    // an hour later it opens
    await backdate(me.traineeId, 61);
    expect((await me.caller.quizCabinet.current({ school: s.slug })).nextAttemptAt).toBeNull();
    expect((await me.caller.quizCabinet.start({ school: s.slug })).resumed).toBe(false);
  });

  it("is refused past the school's daily limit until the next day in Almaty", async () => {
    const s = await createSchool();
    await questionBank(s, 120);
    const me = await traineeCaller(s, "kk");
    await noWait(s, 2);
    await sitExam(s, me, 0);
    await sitExam(s, me, 0);
    const err = await me.caller.quizCabinet.start({ school: s.slug }).catch((e) => e);
    expect(describeError(err, "ru").message).toBe(
      `Сегодня уже 2 попытки — это дневной предел автошколы. Следующая попытка — с ${tomorrow()}`,
    );
    expect(describeError(err, "kk").message).toBe(
      `Бүгін 2 талпыныс болды — бұл автомектептің күндік шегі. Келесі талпыныс — ${tomorrow()} бастап`,
    );
    expect(await operatorDb().examAttempt.count({ where: { traineeId: me.traineeId } })).toBe(2);
  });

  it("follows the rule a pure function decides: cooldown from the finish, the day's count by Almaty's calendar", () => {
    const rules: ExamRulesValue = { cooldownMinutes: 60, dailyLimit: 2 };
    const at = (iso: string) => new Date(iso);
    // finished 10:30 Almaty (05:30Z): next at 11:30 Almaty
    expect(
      nextAttemptAt(
        rules,
        [{ startedAt: at("2026-12-06T05:00:00Z"), finishedAt: at("2026-12-06T05:30:00Z") }],
        at("2026-12-06T05:40:00Z"),
      ),
    ).toEqual({ at: at("2026-12-06T06:30:00Z"), reason: "cooldown" });
    expect(
      nextAttemptAt(
        rules,
        [{ startedAt: at("2026-12-06T05:00:00Z"), finishedAt: at("2026-12-06T05:30:00Z") }],
        at("2026-12-06T06:30:00Z"),
      ),
    ).toBeNull();
    // two attempts on 6 December in Almaty (one at 00:10 local = 19:10Z the day before): the third waits for 7 December 00:00 local
    const two = [
      { startedAt: at("2026-12-05T19:10:00Z"), finishedAt: at("2026-12-05T19:40:00Z") },
      { startedAt: at("2026-12-06T08:00:00Z"), finishedAt: at("2026-12-06T08:20:00Z") },
    ];
    expect(nextAttemptAt(rules, two, at("2026-12-06T12:00:00Z"))).toEqual({
      at: at("2026-12-06T19:00:00Z"),
      reason: "dailyLimit",
    });
    // an attempt at 23:50 local on the 5th does not count for the 6th
    expect(
      nextAttemptAt(
        { cooldownMinutes: 0, dailyLimit: 1 },
        [{ startedAt: at("2026-12-05T18:50:00Z"), finishedAt: at("2026-12-05T18:55:00Z") }],
        at("2026-12-05T19:05:00Z"),
      ),
    ).toBeNull();
    // the later of the two waits wins
    expect(nextAttemptAt({ cooldownMinutes: 600, dailyLimit: 2 }, two, at("2026-12-06T08:30:00Z"))).toEqual({
      at: at("2026-12-06T19:00:00Z"),
      reason: "dailyLimit",
    });
    expect(nextAttemptAt({ cooldownMinutes: 1440, dailyLimit: 2 }, two, at("2026-12-06T08:30:00Z"))).toEqual({
      at: at("2026-12-07T08:20:00Z"),
      reason: "cooldown",
    });
  });

  it("rules are the director's, checked with kk/ru messages; other staff read them, an inspector can't change them", async () => {
    const s = await createSchool();
    const saved = await s.director.quiz.saveRules({ school: s.slug, cooldownMinutes: "30", dailyLimit: "5" });
    expect(saved).toEqual({ cooldownMinutes: 30, dailyLimit: 5 });
    const teacher = await addMember(s.schoolId, "teacher");
    expect(await teacher.caller.quiz.rules({ school: s.slug })).toMatchObject({ cooldownMinutes: 30, dailyLimit: 5 });
    await expect(
      teacher.caller.quiz.saveRules({ school: s.slug, cooldownMinutes: "0", dailyLimit: "9" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const inspector = await addMember(s.schoolId, "inspector");
    await expect(
      inspector.caller.quiz.saveRules({ school: s.slug, cooldownMinutes: "0", dailyLimit: "9" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const bad = await s.director.quiz
      .saveRules({ school: s.slug, cooldownMinutes: "-5", dailyLimit: "0" })
      .catch((e) => e);
    expect(describeError(bad, "ru").fieldErrors).toEqual({
      cooldownMinutes: "Значение вне допустимых пределов",
      dailyLimit: "Значение вне допустимых пределов",
    });
    expect(describeError(bad, "kk").fieldErrors?.dailyLimit).toBe("Мән рұқсат етілген шектен тыс");
    expect(await s.director.quiz.rules({ school: s.slug })).toMatchObject({ cooldownMinutes: 30, dailyLimit: 5 });
  });
});

describe("the next draw", () => {
  it("does not repeat a question whose answer the trainee has seen while the bank has others", async () => {
    const s = await createSchool();
    const ids = await questionBank(s, 80);
    const me = await traineeCaller(s);
    await noWait(s);
    const first = await sitExam(s, me, 40, 10);
    const second = await sitExam(s, me, 0);
    expect(second.questionIds.filter((q) => first.questionIds.includes(q))).toEqual([]);
    expect(new Set([...first.questionIds, ...second.questionIds])).toEqual(new Set(ids));
    // questions drawn but never answered revealed nothing: they may come again before the revealed ones
    const third = await sitExam(s, me, 0);
    expect(new Set(third.questionIds)).toEqual(new Set(second.questionIds));
  });

  it("with a small bank takes every unseen question first and fills the rest with seen ones", async () => {
    const s = await createSchool();
    const ids = await questionBank(s, 50);
    const me = await traineeCaller(s);
    await noWait(s);
    const first = await sitExam(s, me, 40);
    const unseen = ids.filter((q) => !first.answeredIds.includes(q));
    expect(unseen).toHaveLength(10);
    const second = await sitExam(s, me, 0);
    expect(second.questionIds).toHaveLength(40);
    expect(unseen.every((q) => second.questionIds.includes(q))).toBe(true);
  });
});
