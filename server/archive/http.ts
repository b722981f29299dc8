// The archive download: the right is checked and the download recorded by the same procedures the screens use
// (`privacy.archive.download`, `admin.privacy.archives.download`); then the zip is streamed chunk by chunk
// straight from PostgreSQL, one 1 MB piece in memory at a time, waiting for the client to take each one.
// Any web process can serve it: the archive is in the database, not on a disk.
import express from "express";
import { TRPCError } from "@trpc/server";
import { createCaller } from "../router.ts";
import { describeError, type Context } from "../trpc.ts";
import { inScope, operatorDb } from "../db/client.ts";
import { logger } from "../log.ts";
import { readChunk, type ArchiveDownload } from "./service.ts";
import { contentDisposition } from "../../domain/files.ts";

type MakeContext = (req: express.Request, res: express.Response) => Promise<Context>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The client took what was written (or went away); the listeners go with the wait. */
function drained(res: express.Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

async function stream(
  req: express.Request,
  res: express.Response,
  a: ArchiveDownload,
  read: (seq: number) => Promise<Buffer>,
) {
  res.status(200);
  res.setHeader("Content-Type", "application/zip");
  res.setHeader("Content-Length", String(a.sizeBytes));
  res.setHeader("Content-Disposition", contentDisposition(a.fileName));
  res.setHeader("Cache-Control", "private, no-store");
  if (a.sha256) res.setHeader("X-Content-SHA256", a.sha256);
  let gone = false;
  req.once("close", () => (gone = !res.writableFinished));
  for (let seq = 0; seq < a.chunkCount && !gone; seq++) {
    const piece = await read(seq);
    if (!res.write(piece)) await drained(res);
  }
  res.end();
}

function handler(
  makeContext: MakeContext,
  run: (
    ctx: Context,
    req: express.Request,
  ) => Promise<{ download: ArchiveDownload; read: (seq: number) => Promise<Buffer> }>,
): express.RequestHandler {
  return (req, res, next) => {
    void (async () => {
      const ctx = await makeContext(req, res);
      let prepared: Awaited<ReturnType<typeof run>>;
      try {
        if (!UUID.test(req.params.id ?? "")) throw new TRPCError({ code: "NOT_FOUND" });
        prepared = await run(ctx, req);
      } catch (e) {
        if (!(e instanceof TRPCError)) throw e;
        const error = describeError(e, ctx.locale);
        if (error.status === 401) return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
        res.status(error.status).type("text/plain; charset=utf-8").setHeader("Cache-Control", "private, no-store");
        return res.send(error.message);
      }
      await stream(req, res, prepared.download, prepared.read);
    })().catch((err: unknown) => {
      if (res.headersSent) {
        logger.warn({ err }, "archive download cut off");
        res.destroy();
        return;
      }
      next(err);
    });
  };
}

/** The two download routes; mounted by server/web.ts before the Remix handler. */
export function archiveDownloads(makeContext: MakeContext): express.Router {
  const r = express.Router();
  r.get(
    "/s/:school/archive/:id/download",
    handler(makeContext, async (ctx, req) => {
      const download = await createCaller(ctx).privacy.archive.download({
        school: req.params.school!,
        id: req.params.id!,
      });
      // Each piece in its own short transaction of the app role, held to the school by RLS.
      return {
        download,
        read: (seq) => inScope({ schoolId: download.schoolId }, (tx) => readChunk(tx, download.id, seq)),
      };
    }),
  );
  r.get(
    "/admin/schools/:schoolId/archive/:id/download",
    handler(makeContext, async (ctx, req) => {
      if (!UUID.test(req.params.schoolId ?? "")) throw new TRPCError({ code: "NOT_FOUND" });
      const download = await createCaller(ctx).admin.privacy.archives.download({
        schoolId: req.params.schoolId!,
        id: req.params.id!,
      });
      return { download, read: (seq) => readChunk(operatorDb(), download.id, seq) };
    }),
  );
  return r;
}
