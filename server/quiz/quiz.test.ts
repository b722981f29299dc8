import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { createSchool } from "../../tests/factories.ts";
import { asTraineeRole, expectRefused } from "../../tests/trainee-role.ts";
import { questionBank, traineeCaller } from "../../tests/quiz.ts";

/** A category B question of two options, the second one correct. */
const SIGN_QUESTION = {
  category: "B",
  textKk: "Бұл белгі нені білдіреді?",
  textRu: "Что означает этот знак?",
  options: [
    { kk: "Тоқтау", ru: "Стоп" },
    { kk: "Жол бер", ru: "Уступите дорогу" },
  ],
  correct: 1,
};

const PNG_1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

describe("the question bank", () => {
  it("keeps a question in kk and ru with a picture checked by its bytes; a file that isn't an image is refused", async () => {
    const s = await createSchool();
    const input = { school: s.slug, ...SIGN_QUESTION };
    const { id } = await s.director.quiz.questions.create({ ...input, imageBase64: PNG_1x1 });
    const img = await s.director.quiz.questions.image({ school: s.slug, id });
    expect(img.contentType).toBe("image/png");
    expect((await s.director.quiz.questions.list({ school: s.slug })).questions).toMatchObject([
      { id, textRu: "Что означает этот знак?", correct: 1, hasImage: true },
    ]);

    const fake = Buffer.from("<html>not a picture</html>").toString("base64");
    const err = await s.director.quiz.questions.create({ ...input, imageBase64: fake }).catch((e) => e);
    expect(describeError(err, "ru").fieldErrors).toEqual({
      image: "Это не изображение: загрузите файл PNG, JPEG или WebP",
    });
    const oneOption = await s.director.quiz.questions
      .create({ ...input, options: [{ kk: "А", ru: "А" }], correct: 0 })
      .catch((e) => e);
    expect(describeError(oneOption, "ru").fieldErrors).toEqual({ options: "Нужно от 2 до 6 вариантов ответа" });

    await s.director.quiz.questions.setActive({ school: s.slug, id, active: false });
    expect((await s.director.quiz.questions.list({ school: s.slug })).questions).toEqual([]);
  });
});

describe("the online theory exam", () => {
  it("is refused with a clear message while the bank has fewer than 40 questions for the trainee's category", async () => {
    const s = await createSchool();
    await questionBank(s, 30);
    await questionBank(s, 15, "C"); // another category's questions don't count for a B trainee
    const me = await traineeCaller(s);
    const err = await me.caller.quizCabinet.start({ school: s.slug }).catch((e) => e);
    expect(describeError(err, "ru").message).toBe(
      "В банке вопросов автошколы для категории B пока 30 активных вопросов, а для экзамена нужно 40. Обратитесь в автошколу",
    );
  });

  it("draws 40 distinct active questions, resumes the unfinished attempt, and keeps the time by the server", async () => {
    const s = await createSchool();
    const ids = await questionBank(s, 45);
    await operatorDb().question.updateMany({ where: { id: { in: ids.slice(0, 5) } }, data: { active: false } });
    const me = await traineeCaller(s);
    const first = await me.caller.quizCabinet.start({ school: s.slug });
    expect(first.resumed).toBe(false);
    expect(await me.caller.quizCabinet.start({ school: s.slug })).toEqual({ id: first.id, resumed: true });
    const cur = await me.caller.quizCabinet.current({ school: s.slug });
    const qids = cur.running!.questions.map((q) => q.id);
    expect(new Set(qids).size).toBe(40);
    expect(qids.every((q) => ids.slice(5).includes(q))).toBe(true);
    expect(cur.running!.remainingSeconds).toBeGreaterThan(39 * 60);
    expect(cur.running!.remainingSeconds).toBeLessThanOrEqual(40 * 60);
    expect(cur.running!.questions[0]).not.toHaveProperty("correct");
  });

  it("32 correct passes: the result is an internal theory exam result, source online, and is journaled", async () => {
    const s = await createSchool();
    await questionBank(s, 40);
    const me = await traineeCaller(s);
    const { id } = await me.caller.quizCabinet.start({ school: s.slug });
    const cur = await me.caller.quizCabinet.current({ school: s.slug });
    for (const [i, q] of cur.running!.questions.entries())
      await me.caller.quizCabinet.answer({ school: s.slug, attemptId: id, questionId: q.id, choice: i < 32 ? 0 : 1 });
    expect(await me.caller.quizCabinet.finish({ school: s.slug, attemptId: id })).toMatchObject({
      correct: 32,
      passed: true,
    });
    const results = await s.director.exams.results({ school: s.slug, traineeId: me.traineeId });
    expect(results).toMatchObject([{ kind: "theory", attempt: 1, score: 32, maxScore: 40, passed: true }]);
    expect((await operatorDb().examResult.findFirstOrThrow({ where: { traineeId: me.traineeId } })).source).toBe(
      "online",
    );
    const journal = await operatorDb().journalEntry.findMany({
      where: { subjectId: me.traineeId, kind: "exam.result" },
    });
    expect(journal.map((j) => j.data)).toMatchObject([
      { exam: "theory", attempt: 1, score: 32, passed: true, source: "online" },
    ]);

    const review = await me.caller.quizCabinet.review({ school: s.slug, attemptId: id });
    expect(review.questions.filter((q) => !q.right)).toHaveLength(8);
    expect(review.questions.every((q) => q.correct === 0)).toBe(true);
    // answering a finished attempt is refused
    const late = await me.caller.quizCabinet
      .answer({ school: s.slug, attemptId: id, questionId: cur.running!.questions[0]!.id, choice: 0 })
      .catch((e) => e);
    expect(describeError(late, "ru").message).toBe("Эта попытка уже завершена");
  });

  it("31 correct fails, and the next attempt is numbered 2", async () => {
    const s = await createSchool();
    await questionBank(s, 40);
    const me = await traineeCaller(s);
    const { id } = await me.caller.quizCabinet.start({ school: s.slug });
    const cur = await me.caller.quizCabinet.current({ school: s.slug });
    for (const q of cur.running!.questions.slice(0, 31))
      await me.caller.quizCabinet.answer({ school: s.slug, attemptId: id, questionId: q.id, choice: 0 });
    expect(await me.caller.quizCabinet.finish({ school: s.slug, attemptId: id })).toMatchObject({
      correct: 31,
      passed: false,
    });
    // a retake at once: the school has turned the pause between attempts off (server/quiz/retake.test.ts)
    await s.director.quiz.saveRules({ school: s.slug, cooldownMinutes: "0", dailyLimit: "3" });
    const second = await me.caller.quizCabinet.start({ school: s.slug });
    expect(second.id).not.toBe(id);
    await me.caller.quizCabinet.finish({ school: s.slug, attemptId: second.id });
    expect(
      (await s.director.exams.results({ school: s.slug, traineeId: me.traineeId })).map((r) => [
        r.attempt,
        r.score,
        r.passed,
      ]),
    ).toEqual([
      [2, 0, false],
      [1, 31, false],
    ]);
  });

  it("after the deadline an answer is refused and the attempt finishes with what was answered", async () => {
    const s = await createSchool();
    await questionBank(s, 40);
    const me = await traineeCaller(s);
    const { id } = await me.caller.quizCabinet.start({ school: s.slug });
    const qs = (await me.caller.quizCabinet.current({ school: s.slug })).running!.questions;
    for (const q of qs.slice(0, 3))
      await me.caller.quizCabinet.answer({ school: s.slug, attemptId: id, questionId: q.id, choice: 0 });
    await operatorDb().examAttempt.update({ where: { id }, data: { deadlineAt: new Date(Date.now() - 1000) } });
    const err = await me.caller.quizCabinet
      .answer({ school: s.slug, attemptId: id, questionId: qs[3]!.id, choice: 0 })
      .catch((e) => e);
    expect(describeError(err, "ru").message).toBe(
      "Время экзамена вышло: попытка завершена с теми ответами, что были даны",
    );
    const cur = await me.caller.quizCabinet.current({ school: s.slug });
    expect(cur.running).toBeNull();
    expect(cur.finished).toMatchObject([{ id, correct: 3, passed: false }]);
    expect(await s.director.exams.results({ school: s.slug, traineeId: me.traineeId })).toMatchObject([
      { score: 3, maxScore: 40 },
    ]);
  });

  it("a trainee can't answer, finish or review another trainee's attempt, nor see its pictures", async () => {
    const s = await createSchool();
    await questionBank(s, 39);
    const { id: qImg } = await s.director.quiz.questions.create({
      school: s.slug,
      ...SIGN_QUESTION,
      category: null,
      imageBase64: PNG_1x1,
    });
    const a = await traineeCaller(s);
    const b = await traineeCaller(s);
    const { id } = await a.caller.quizCabinet.start({ school: s.slug });
    const qs = (await a.caller.quizCabinet.current({ school: s.slug })).running!.questions;
    expect(qs.find((q) => q.id === qImg)?.hasImage).toBe(true);
    expect((await a.caller.quizCabinet.image({ school: s.slug, questionId: qImg })).contentType).toBe("image/png");
    await expect(
      b.caller.quizCabinet.answer({ school: s.slug, attemptId: id, questionId: qs[0]!.id, choice: 0 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(b.caller.quizCabinet.finish({ school: s.slug, attemptId: id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(b.caller.quizCabinet.image({ school: s.slug, questionId: qImg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await operatorDb().examAttempt.findUniqueOrThrow({ where: { id } })).answers).toEqual({});
    // nor can a trainee reach the staff's bank
    await expect(a.caller.quiz.questions.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("the trainee role itself can't read the correct answers of a running attempt nor write another's attempt", async () => {
    const s = await createSchool();
    await questionBank(s, 40);
    const a = await traineeCaller(s);
    const b = await traineeCaller(s);
    const { id } = await a.caller.quizCabinet.start({ school: s.slug });
    await asTraineeRole({ schoolId: s.schoolId, traineeId: a.traineeId }, async (c) => {
      const viaFunction = await c.query("SELECT correct FROM quiz_attempt_questions($1)", [id]);
      expect(viaFunction.rows).toHaveLength(40);
      expect(viaFunction.rows.every((r) => r.correct === null)).toBe(true);
      await expectRefused(c, [
        "SELECT correct FROM question LIMIT 1",
        "UPDATE exam_attempt SET correct_count = 40",
        "UPDATE exam_attempt SET finished_at = now()",
        "INSERT INTO exam_result (id) VALUES (gen_random_uuid())",
      ]);
      // as trainee B: A's attempt is invisible and can't be written
      await c.query("SELECT set_config('app.trainee_id', $1, true)", [b.traineeId]);
      expect((await c.query("SELECT id FROM exam_attempt")).rows).toEqual([]);
      expect((await c.query(`UPDATE exam_attempt SET answers = '{"x": 1}'`)).rowCount).toBe(0);
      expect((await c.query("SELECT * FROM quiz_attempt_questions($1)", [id])).rows).toEqual([]);
    });
  });
});
