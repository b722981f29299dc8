// The staff and vehicle pages' availability forms (ADR 032): working hours, adding and removing a period.
// Each posts an `intent`; a refusal comes back with what was typed and messages under the fields.
import type { AppLoadContext } from "@remix-run/node";
import { refusedWith, runWs, text } from "~/components/workspace/forms.server.ts";

export const AVAILABILITY_INTENTS = ["hours", "addPeriod", "removePeriod"] as const;

/** The hours form's inputs: `h<weekday>s<k>` and `h<weekday>e<k>`, two intervals a day. */
export const hoursField = (weekday: number, k: number, end: "s" | "e") => `h${weekday}${end}${k}`;

export type Affected = { count: number; firstOn: string | null };
export type AvailabilityDone = { intent: string; done: "hours" | "added" | "removed"; affected: Affected | null };

type Target = { userId: string } | { vehicleId: string };
type Refusal = Parameters<typeof refusedWith>[0];

/** Handles one of AVAILABILITY_INTENTS for an instructor or a car; null for any other intent. */
export async function availabilityAction(context: AppLoadContext, school: string, form: FormData, target: Target) {
  const intent = text(form, "intent");
  const api = context.trpc.availability;
  if (intent === "hours" && "userId" in target) {
    const values: Record<string, string> = { intent };
    const hours: { weekday: number; starts: string; ends: string }[] = [];
    const fields: string[] = [];
    for (let weekday = 1; weekday <= 7; weekday++)
      for (const k of [0, 1]) {
        const starts = text(form, hoursField(weekday, k, "s")).trim();
        const ends = text(form, hoursField(weekday, k, "e")).trim();
        values[hoursField(weekday, k, "s")] = starts;
        values[hoursField(weekday, k, "e")] = ends;
        if (!starts && !ends) continue;
        hours.push({ weekday, starts, ends });
        fields.push(`${weekday}.${k}`);
      }
    const result = await runWs(context, () => api.saveHours({ school, userId: target.userId, hours }));
    if (!result.ok) {
      // "hours.3.ends" → the input it came from.
      const error = result.response.data.error;
      const fieldErrors = Object.fromEntries(
        Object.entries(error.fieldErrors ?? {}).map(([key, message]) => {
          const m = key.match(/^hours\.(\d+)\.(starts|ends)$/);
          const at = m ? fields[Number(m[1])] : undefined;
          if (!m || !at) return [key, message];
          const [weekday, k] = at.split(".").map(Number) as [number, number];
          return [hoursField(weekday, k, m[2] === "starts" ? "s" : "e"), message];
        }),
      );
      const response: Refusal = { ...result.response, data: { error: { ...error, fieldErrors } } };
      return refusedWith(response, values);
    }
    return { intent, done: "hours", affected: result.value.outside } satisfies AvailabilityDone;
  }
  if (intent === "addPeriod") {
    const values = {
      intent,
      startsOn: text(form, "startsOn"),
      endsOn: text(form, "endsOn"),
      reason: text(form, "reason"),
      note: text(form, "note"),
    };
    const period = { school, startsOn: values.startsOn, endsOn: values.endsOn, note: values.note };
    const result = await runWs(context, () =>
      "userId" in target
        ? api.addAbsence({ ...period, userId: target.userId, reason: values.reason as "leave" })
        : api.addDowntime({ ...period, vehicleId: target.vehicleId, reason: values.reason as "service" }),
    );
    if (!result.ok) return refusedWith(result.response, values);
    return { intent, done: "added", affected: result.value.lessons } satisfies AvailabilityDone;
  }
  if (intent === "removePeriod") {
    const id = text(form, "id");
    const result = await runWs(context, async () => {
      if ("userId" in target) await api.removeAbsence({ school, id });
      else await api.removeDowntime({ school, id });
    });
    if (!result.ok) return refusedWith(result.response, { intent });
    return { intent, done: "removed", affected: null } satisfies AvailabilityDone;
  }
  return null;
}
