import { z } from "zod";

const text = z.string().trim().min(1, "required").max(1000, "tooLong");
const optionText = z.string().trim().min(1, "required").max(300, "tooLong");

const questionFields = z.object({
  /** a licence category, or "" / null for every category */
  category: z
    .union([z.literal("").transform(() => null), z.string().trim().max(10)])
    .nullish()
    .transform((v) => v ?? null),
  textKk: text,
  textRu: text,
  options: z
    .array(z.object({ kk: optionText, ru: optionText }))
    .min(2, "quiz.optionsCount")
    .max(6, "quiz.optionsCount"),
  correct: z
    .union([z.number(), z.string().regex(/^\d$/, "chooseOne").transform(Number)], "chooseOne")
    .pipe(z.number().int().min(0, "chooseOne")),
  /** the picture, base64; omitted = keep the current one on update */
  imageBase64: z.string().max(1_500_000, "quiz.imageTooBig").optional(),
  removeImage: z.boolean().optional(),
});

export const createQuestionInput = questionFields;
export const updateQuestionInput = questionFields.extend({ id: z.uuid() });
export const listQuestionsInput = z.object({
  category: z.string().max(10).optional(),
  show: z.enum(["active", "inactive", "all"]).default("active"),
});
export const idInput = z.object({ id: z.uuid() });
export const setActiveInput = z.object({ id: z.uuid(), active: z.boolean() });

export const attemptInput = z.object({ attemptId: z.uuid() });
export const answerInput = z.object({
  attemptId: z.uuid(),
  questionId: z.uuid(),
  choice: z.number().int().min(0).max(5),
});
export const imageInput = z.object({ questionId: z.uuid() });
