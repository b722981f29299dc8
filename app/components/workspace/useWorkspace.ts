import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "~/routes/s.$school.tsx";

/** The workspace layout's data (school, caller's roles) for the pages inside it. */
export function useWorkspace() {
  const data = useRouteLoaderData<typeof loader>("routes/s.$school");
  if (!data) throw new Error("useWorkspace outside /s/$school");
  return data;
}
