import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addMember, createSchool } from "../../tests/factories.ts";
import { questionBank, traineeCaller } from "../../tests/quiz.ts";

describe("the sample question bank", () => {
  it("one press fills an empty bank with the bilingual sample, enough for every category's exam; a second press adds nothing", async () => {
    const s = await createSchool();
    const empty = await s.director.quiz.questions.list({ school: s.slug });
    expect(empty).toMatchObject({ total: 0, sample: { added: 0 } });
    expect(empty.sample.size).toBeGreaterThanOrEqual(40);

    const first = await s.director.quiz.questions.addSample({ school: s.slug });
    expect(first.added).toBe(empty.sample.size);
    const bank = await s.director.quiz.questions.list({ school: s.slug });
    expect(bank.total).toBe(empty.sample.size);
    expect(bank.sample.added).toBe(empty.sample.size);
    expect(bank.available.every((c) => c.n >= bank.needed)).toBe(true);
    expect(bank.questions.every((q) => q.fromSample && q.category === null && q.active)).toBe(true);
    // In the sample's order, each in both languages.
    expect(bank.questions[0]).toMatchObject({
      textRu: "Какая максимальная скорость легкового автомобиля в населённом пункте (если нет знаков)?",
      textKk: "Елді мекенде жеңіл автомобильдің ең жоғары жылдамдығы қандай (белгілер болмаса)?",
      options: [
        { kk: "50 км/сағ", ru: "50 км/ч" },
        { kk: "60 км/сағ", ru: "60 км/ч" },
        { kk: "70 км/сағ", ru: "70 км/ч" },
      ],
      correct: 1,
    });
    expect(bank.questions.filter((q) => q.hasImage)).toHaveLength(2);

    expect(await s.director.quiz.questions.addSample({ school: s.slug })).toEqual({ added: 0 });
    expect((await s.director.quiz.questions.list({ school: s.slug, show: "all" })).total).toBe(empty.sample.size);
  });

  it("sample questions are the school's own: edited or deactivated, they stay so when the sample is added again", async () => {
    const s = await createSchool();
    await s.director.quiz.questions.addSample({ school: s.slug });
    const [q1, q2] = (await s.director.quiz.questions.list({ school: s.slug })).questions;
    await s.director.quiz.questions.update({
      school: s.slug,
      id: q1!.id,
      category: "B",
      textKk: "Өзгертілген сұрақ",
      textRu: "Изменённый вопрос",
      options: q1!.options,
      correct: q1!.correct,
    });
    await s.director.quiz.questions.setActive({ school: s.slug, id: q2!.id, active: false });

    expect(await s.director.quiz.questions.addSample({ school: s.slug })).toEqual({ added: 0 });
    const all = (await s.director.quiz.questions.list({ school: s.slug, show: "all" })).questions;
    expect(all.find((q) => q.id === q1!.id)).toMatchObject({
      textRu: "Изменённый вопрос",
      category: "B",
      fromSample: true,
    });
    expect(all.find((q) => q.id === q2!.id)).toMatchObject({ active: false });
    expect(all.filter((q) => q.textRu === q2!.textRu)).toHaveLength(1);
  });

  it("goes into the pressing school only, beside the school's own questions", async () => {
    const a = await createSchool();
    const b = await createSchool();
    await questionBank(b, 3);
    const registrar = await addMember(a.schoolId, "registrar");
    const { added } = await registrar.caller.quiz.questions.addSample({ school: a.slug });
    expect(added).toBeGreaterThan(0);
    expect(await operatorDb().question.count({ where: { schoolId: b.schoolId } })).toBe(3);
    expect(await operatorDb().question.count({ where: { schoolId: a.schoolId } })).toBe(added);
    // B's own three count, the sample is still on offer there.
    expect((await b.director.quiz.questions.list({ school: b.slug })).sample.added).toBe(0);
  });

  it("an inspector cannot add it", async () => {
    const s = await createSchool();
    const inspector = await addMember(s.schoolId, "inspector");
    const err = await inspector.caller.quiz.questions.addSample({ school: s.slug }).catch((e) => e);
    expect(describeError(err, "ru").status).toBe(403);
    expect(await operatorDb().question.count({ where: { schoolId: s.schoolId } })).toBe(0);
  });
});

describe("the trainee's exam page before the bank is ready", () => {
  it("says how many questions the exam can draw from, so the page can say so before Start; the sample makes the exam possible", async () => {
    const s = await createSchool();
    const me = await traineeCaller(s);
    expect((await me.caller.quizCabinet.current({ school: s.slug })).bankSize).toBe(0);
    await questionBank(s, 5, "C"); // another category's questions don't count for a B trainee
    await questionBank(s, 7, "B");
    expect((await me.caller.quizCabinet.current({ school: s.slug })).bankSize).toBe(7);

    await s.director.quiz.questions.addSample({ school: s.slug });
    const ready = await me.caller.quizCabinet.current({ school: s.slug });
    expect(ready.bankSize).toBeGreaterThanOrEqual(ready.rules.questions);
    await me.caller.quizCabinet.start({ school: s.slug });
    expect((await me.caller.quizCabinet.current({ school: s.slug })).running?.questions).toHaveLength(40);
  });
});
