// The school's question bank for the online theory exam: listing, editing, (de)activating, pictures.
// Questions are never deleted — attempts refer to them.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { dbNow } from "../training/journal.ts";
import { THEORY_QUESTIONS } from "../exams/rules.ts";
import { MAX_IMAGE_BYTES, sniffImage } from "../documents/image.ts";
import { SAMPLE_SIZE, sampleQuestions } from "./sample-questions.ts";
import type {
  createQuestionInput,
  idInput,
  listQuestionsInput,
  setActiveInput,
  updateQuestionInput,
} from "./schema.ts";

type Actor = { id: string };

function decodeImage(base64: string): { image: Uint8Array<ArrayBuffer>; imageType: string } {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length > MAX_IMAGE_BYTES) throw new AppError("BAD_REQUEST", "quiz.imageTooBig", {}, "image");
  const type = sniffImage(bytes);
  if (!type) throw new AppError("BAD_REQUEST", "quiz.imageNotImage", {}, "image");
  return { image: new Uint8Array(bytes), imageType: type };
}

async function checkCategory(tx: Tx, category: string | null) {
  if (category && !(await tx.licenceCategory.findUnique({ where: { code: category }, select: { code: true } }))) {
    throw new AppError("BAD_REQUEST", "chooseOne", {}, "category");
  }
}

function checkCorrect(options: unknown[], correct: number) {
  if (correct >= options.length) throw new AppError("BAD_REQUEST", "chooseOne", {}, "correct");
}

const questionSelect = {
  id: true,
  category: true,
  textKk: true,
  textRu: true,
  options: true,
  correct: true,
  active: true,
  imageType: true,
  sampleKey: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Option = { kk: string; ru: string };
const shape = (q: { imageType: string | null; options: unknown } & Record<string, unknown>) => {
  const { imageType, options, sampleKey, ...rest } = q;
  return { ...rest, options: options as Option[], hasImage: imageType !== null, fromSample: sampleKey !== null };
};

/** The bank (active, inactive or all; one category's with those for every category), and how many each category's exam can draw from. */
export async function listQuestions(tx: Tx, input: z.infer<typeof listQuestionsInput>) {
  const rows = await tx.question.findMany({
    where: {
      ...(input.show === "all" ? {} : { active: input.show === "active" }),
      ...(input.category ? { OR: [{ category: input.category }, { category: null }] } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: questionSelect,
  });
  // How many active questions each category's exam can draw from (its own plus those for all).
  const counts = await tx.$queryRaw<{ code: string; n: number }[]>`
      SELECT c.code, count(q.id)::int AS n FROM licence_category c
      LEFT JOIN question q ON q.active AND (q.category IS NULL OR q.category = c.code)
      GROUP BY c.code ORDER BY c.code`;
  // Whether the sample is in the bank already (each of its questions, active or not): the button is then
  // not offered again.
  const fromSample = await tx.question.count({ where: { sampleKey: { not: null } } });
  return {
    questions: rows.map((q) => shape(q as never) as ReturnType<typeof shape> & typeof q),
    available: counts,
    needed: THEORY_QUESTIONS,
    /** questions of the bank in every state (0: the bank is empty) */
    total: await tx.question.count(),
    sample: { size: SAMPLE_SIZE, added: fromSample },
  };
}

/**
 * Copies the sample questions (for every category) into the school's bank as its own, to edit or
 * deactivate like any other. A question copied before — even edited or deactivated since — is not copied
 * again: the unique (school, sample key) makes a second press add nothing.
 */
export async function addSampleQuestions(tx: Tx, school: SchoolCtx, actor: Actor) {
  const now = await dbNow(tx);
  const { count } = await tx.question.createMany({
    skipDuplicates: true,
    // A millisecond apart: the bank lists by creation, so the sample keeps its order there.
    data: sampleQuestions().map((q, i) => ({
      ...q,
      id: randomUUID(),
      schoolId: school.id,
      category: null,
      createdBy: actor.id,
      createdAt: new Date(now.getTime() + i),
      updatedAt: now,
    })),
  });
  return { added: count };
}

/** One question of the bank, for its edit form. */
export async function getQuestion(tx: Tx, input: z.infer<typeof idInput>) {
  const q = await tx.question.findUnique({ where: { id: input.id }, select: questionSelect });
  if (!q) throw new AppError("NOT_FOUND", "notFound");
  return shape(q as never) as ReturnType<typeof shape> & typeof q;
}

export async function createQuestion(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof createQuestionInput>,
) {
  await checkCategory(tx, input.category);
  checkCorrect(input.options, input.correct);
  const img = input.imageBase64 ? decodeImage(input.imageBase64) : null;
  const id = randomUUID();
  const now = await dbNow(tx);
  await tx.question.create({
    data: {
      id,
      schoolId: school.id,
      category: input.category,
      textKk: input.textKk,
      textRu: input.textRu,
      options: input.options,
      correct: input.correct,
      image: img?.image ?? null,
      imageType: img?.imageType ?? null,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    },
    select: { id: true },
  });
  return { id };
}

/** Changes a question; its picture is replaced, removed, or (neither asked) kept. */
export async function updateQuestion(tx: Tx, input: z.infer<typeof updateQuestionInput>) {
  const old = await tx.question.findUnique({ where: { id: input.id }, select: { id: true } });
  if (!old) throw new AppError("NOT_FOUND", "notFound");
  await checkCategory(tx, input.category);
  checkCorrect(input.options, input.correct);
  const img = input.imageBase64 ? decodeImage(input.imageBase64) : null;
  await tx.question.update({
    where: { id: input.id },
    data: {
      category: input.category,
      textKk: input.textKk,
      textRu: input.textRu,
      options: input.options,
      correct: input.correct,
      ...(img
        ? { image: img.image, imageType: img.imageType }
        : input.removeImage
          ? { image: null, imageType: null }
          : {}),
      updatedAt: await dbNow(tx),
    },
    select: { id: true },
  });
  return { id: input.id };
}

/** Deactivates a question (the exam no longer draws it), or brings it back. */
export async function setQuestionActive(tx: Tx, input: z.infer<typeof setActiveInput>) {
  const r = await tx.question.updateMany({
    where: { id: input.id },
    data: { active: input.active, updatedAt: await dbNow(tx) },
  });
  if (r.count === 0) throw new AppError("NOT_FOUND", "notFound");
  return { id: input.id, active: input.active };
}

/** A question's picture, base64 with its type. */
export async function questionImage(tx: Tx, input: z.infer<typeof idInput>) {
  const q = await tx.question.findUnique({ where: { id: input.id }, select: { image: true, imageType: true } });
  if (!q?.image || !q.imageType) throw new AppError("NOT_FOUND", "notFound");
  return { contentType: q.imageType, base64: Buffer.from(q.image).toString("base64") };
}
