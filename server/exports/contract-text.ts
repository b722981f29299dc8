// The school's own contract text, one per language, edited by the director: what the editor shows,
// saving a text (only known placeholders), and going back to the default. Each change is audited.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { contractTemplate } from "./contract.ts";
import { DEFAULT_TEMPLATES, PLACEHOLDERS, unknownPlaceholders } from "./contract-template.ts";
import type { resetTemplateInput, saveTemplateInput } from "./schema.ts";

type Actor = { id: string };

/** The editor: both languages' texts (the school's or the default), and the placeholders allowed. */
export async function contractTemplates(tx: Tx, schoolId: string) {
  const [kk, ru] = await Promise.all([contractTemplate(tx, schoolId, "kk"), contractTemplate(tx, schoolId, "ru")]);
  return { kk, ru, placeholders: [...PLACEHOLDERS], defaults: DEFAULT_TEMPLATES };
}

/** Saves the school's text for a language; a placeholder we don't know is refused by name. */
export async function saveContractTemplate(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  meta: RequestMeta,
  input: z.infer<typeof saveTemplateInput>,
) {
  const unknown = unknownPlaceholders(input.body);
  if (unknown.length > 0) {
    throw new AppError(
      "BAD_REQUEST",
      "exports.unknownPlaceholders",
      { names: unknown.map((n) => `{{${n}}}`).join(", ") },
      "body",
    );
  }
  const data = { body: input.body, updatedBy: actor.id, updatedAt: new Date() };
  await tx.contractTemplate.upsert({
    where: { schoolId_locale: { schoolId: school.id, locale: input.locale } },
    create: { schoolId: school.id, locale: input.locale, ...data },
    update: data,
    select: { locale: true },
  });
  await audit(tx, meta, {
    action: "school.updated",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { contractTemplate: input.locale },
  });
  return { locale: input.locale };
}

/** Back to the default text: the school's own is deleted. */
export async function resetContractTemplate(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  meta: RequestMeta,
  input: z.infer<typeof resetTemplateInput>,
) {
  await tx.contractTemplate.deleteMany({ where: { locale: input.locale } });
  await audit(tx, meta, {
    action: "school.updated",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { contractTemplate: input.locale, reset: true },
  });
  return { locale: input.locale };
}
