// Remix's default Node entry (`remix reveal entry.server`), plus: the Content-Security-Policy nonce on every
// inline script (React's, Remix's and the streamed single-fetch data), and rendering errors logged through the
// server's logger with the request id instead of console.error (server/web.ts getLoadContext).
import { Transform } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/lib/nonce.tsx";
import { withoutNul } from "~/lib/without-nul.server.ts";

/** How long deferred data may stream before the render is cut off. */
export const streamTimeout = 5_000;

export const handleError: HandleErrorFunction = (error, { request, context }) => {
  // A URL no route matches (404) or a method a route doesn't take (405) is the client's, not a failure of ours.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  context.logError(error);
};

/**
 * React 18's streaming renderer can end a 4 KB chunk with NUL bytes when a multi-byte character (all of
 * Kazakh and Russian) falls on its edge (react/react#31134): "Отмени\0ть" on the page. HTML never holds
 * a NUL, and in UTF-8 the byte 0 is never part of another character, so dropping every 0 is safe.
 * (Gathering React's 2 KB writes into one piece a tick was tried: the lesson week took 8 ms more CPU.)
 */
function withoutNulBytes() {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, withoutNul(chunk));
    },
  });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Bots (and anything that wants the whole page at once) get it after everything is ready.
  const whole = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  const nonce = loadContext.cspNonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // A render still streaming after the deadline is cut off. Once everything is rendered the timer goes: it
    // holds the whole render, the page's data included, and at 25 pages a second six seconds of pages kept the
    // heap ~100 MB larger than the pages in flight (heap snapshot, `npm run bench` pages).
    let deadline: ReturnType<typeof setTimeout> | undefined;
    let allReady = false;
    const settled = () => {
      allReady = true;
      clearTimeout(deadline);
    };
    const ready = () => {
      shellRendered = true;
      const body = withoutNulBytes();
      const stream = createReadableStreamFromReadable(body);
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        ...(whole
          ? {
              onAllReady() {
                settled();
                ready();
              },
            }
          : { onShellReady: ready, onAllReady: settled }),
        onShellError(error: unknown) {
          settled();
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors in the shell reject and are logged by Remix (handleError); these came while streaming.
          if (shellRendered) loadContext.logError(error);
        },
      },
    );
    if (!allReady) deadline = setTimeout(abort, streamTimeout + 1_000);
  });
}
