import type { LoaderFunctionArgs } from "@remix-run/node";
import { imageResponse } from "~/lib/download.server.ts";
import { load, requireUser } from "~/lib/forms.server.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A picture of a question in the trainee's own attempt (the database decides which ones). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  if (!UUID.test(params.qid ?? "")) throw new Response(null, { status: 404 });
  const img = await load(context, () =>
    context.trpc.quizCabinet.image({ school: params.school!, questionId: params.qid! }),
  );
  return imageResponse(img, "private, max-age=3600");
}
