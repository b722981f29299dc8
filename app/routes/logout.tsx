import { redirect, type ActionFunctionArgs } from "@remix-run/node";

export async function action({ context }: ActionFunctionArgs) {
  if (context.ctx.user) await context.trpc.auth.logout();
  throw redirect("/login");
}

export const loader = () => redirect("/");
