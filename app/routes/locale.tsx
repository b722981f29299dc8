import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { safeNext } from "~/lib/forms.server.ts";
import { isLocale } from "../../domain/i18n/index.ts";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  if (isLocale(locale)) await context.trpc.auth.setLocale({ locale });
  throw redirect(safeNext(String(form.get("redirectTo") ?? "/")));
}

export const loader = () => redirect("/");
