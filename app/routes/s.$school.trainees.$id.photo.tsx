import type { LoaderFunctionArgs } from "@remix-run/node";
import { load, requireUser, uuidParam } from "~/lib/forms.server.ts";

/** The trainee's photo for staff of the school (404 when there is none). */
export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const photo = await load(context, () => context.trpc.trainees.photo({ school: params.school!, id }));
  if (!photo) return new Response(null, { status: 404 });
  return new Response(Buffer.from(photo.base64, "base64"), {
    headers: {
      "Content-Type": photo.contentType,
      "Cache-Control": "private, no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
