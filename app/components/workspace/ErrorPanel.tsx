import { useRouteErrorMessage } from "~/lib/route-error.ts";
import { Header } from "~/components/Header.tsx";
import { SupportCode } from "~/components/SupportCode.tsx";

/** A refused or failed page inside a layout: the layout (header, navigation) stays around it. */
export function ErrorPanel() {
  const { status, message, requestId } = useRouteErrorMessage();
  return (
    <div className="ws-main">
      <h1>{status}</h1>
      <p className="alert" role="alert">
        {message}
      </p>
      <SupportCode id={requestId} />
    </div>
  );
}

/**
 * What a refused form action returns (see forms.server.ts refusedWith). Written out because without the
 * single-fetch `Future` type flag, useActionData types `data()` results as the wrapper, not its contents.
 */
export type Refused<V> = {
  error: {
    message: string;
    fieldErrors: Record<string, string> | null;
    field: string | null;
    status: number;
    existingId?: string;
  };
  values: V;
};

/** The error page of a whole layout (workspace, console): header with the language switch, then the panel. */
export function LayoutErrorBoundary() {
  return (
    <>
      <Header />
      <main className="page narrow">
        <ErrorPanel />
      </main>
    </>
  );
}
