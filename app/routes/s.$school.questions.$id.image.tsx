import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireUser } from "~/lib/forms.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A question's picture for the staff's question bank. */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  if (!UUID.test(params.id ?? "")) throw new Response(null, { status: 404 });
  const img = await load(context, () => context.trpc.quiz.questions.image({ school: params.school!, id: params.id! }));
  const bytes = Buffer.from(img.base64, "base64");
  return new Response(bytes, {
    headers: {
      "Content-Type": img.contentType,
      "Content-Length": String(bytes.length),
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
