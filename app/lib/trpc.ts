import { createTRPCReact, httpBatchLink } from "@trpc/react-query";
import superjson from "superjson";
import type { AppRouter } from "../../server/api.ts";

/** For components that fetch after load (search-as-you-type and the like); loaders use the server caller. */
export const trpc = createTRPCReact<AppRouter>();

export function createTrpcClient() {
  return trpc.createClient({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })] });
}
