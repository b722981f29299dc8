import type { LoaderFunctionArgs } from "@remix-run/node";
import { imageResponse } from "~/lib/download.server.ts";
import { load, requireUser } from "~/lib/forms.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A question's picture for the staff's question bank. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  if (!UUID.test(params.id ?? "")) throw new Response(null, { status: 404 });
  const img = await load(context, () => context.trpc.quiz.questions.image({ school: params.school!, id: params.id! }));
  return imageResponse(img, "private, no-cache");
}
