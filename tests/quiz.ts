// Test factories for the online theory exam: a question bank and a trainee signed in to their cabinet.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../server/db/client.ts";
import { callerFor, type createSchool, traineeInput } from "./factories.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

/** `n` active questions of the school, option 0 always correct ("Дұрыс"/"Верно"). */
export async function questionBank(s: School, n: number, category: string | null = null): Promise<string[]> {
  const ids: string[] = Array.from({ length: n }, () => randomUUID());
  await operatorDb().question.createMany({
    data: ids.map((id, i) => ({
      id,
      schoolId: s.schoolId,
      category,
      textKk: `Сұрақ ${i + 1}`,
      textRu: `Вопрос ${i + 1}`,
      options: [
        { kk: "Дұрыс", ru: "Верно" },
        { kk: "Қате", ru: "Неверно" },
        { kk: "Білмеймін", ru: "Не знаю" },
      ],
      correct: 0,
      createdBy: s.userId,
    })),
  });
  return ids;
}

/** A trainee in training with their own login, and a caller signed in as them. */
export async function traineeCaller(s: School, locale: "kk" | "ru" = "ru") {
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "training" });
  const userId = randomUUID();
  await operatorDb().user.create({
    data: {
      id: userId,
      email: `quiz.${userId}@mail.kz`,
      fullName: "Оқушы",
      passwordHash: "x",
      locale,
      emailVerifiedAt: new Date(),
    },
  });
  await operatorDb().trainee.update({ where: { id }, data: { userId } });
  await operatorDb().traineeLogin.create({ data: { userId, schoolId: s.schoolId, traineeId: id } });
  return { traineeId: id, userId, caller: await callerFor(userId, { locale }) };
}
