// Attack: work without bounds. An anonymous 300 MB POST to /login grew the web process to 1.2 GB and
// stalled /healthz; a 100 MB JSON body to tRPC was parsed before being refused; a 2.7 MB XLSX that
// inflates to 245 MB (300,000 identical rows) exhausted the heap through the trainee import. Each is
// refused with 413/400 and a kk/ru message while the server keeps answering (docs/decisions/025).
import net from "node:net";
import { decode } from "turbo-stream";
import { startSession } from "../../server/auth/sessions.ts";
import { operatorDb } from "../../server/db/client.ts";
import { createSchool, meta } from "../factories.ts";
import { startWebApp } from "../web.ts";
import { xlsxBomb } from "../xlsx-bomb.ts";

let close: () => Promise<void>;
let base: string;
let port: number;
let s: Awaited<ReturnType<typeof createSchool>>;
let cookie: string;

beforeAll(async () => {
  ({ base, close } = await startWebApp());
  port = Number(new URL(base).port);
  s = await createSchool();
  cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
});
afterAll(() => close());

type Raw = { status: number; headers: Record<string, string>; body: string; sentBeforeAnswer: number };

/**
 * One request over a bare socket, so the test decides what is sent: the head, then `body` chunks written
 * one by one while no answer has come (a server that answers early stops the sending). The answer is read
 * to the end of the connection or of its declared length.
 */
function raw(head: string, body: Iterable<Buffer | string> = []): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let sent = 0;
    let answered = false;
    let settled = false;
    const deadline = setTimeout(() => finish(new Error(`no answer after sending ${sent} bytes`)), 20_000);
    const parse = (): Raw | null => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf("\r\n\r\n");
      if (end < 0) return null;
      const [statusLine, ...lines] = all.subarray(0, end).toString("latin1").split("\r\n");
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
      );
      let bodyBytes = all.subarray(end + 4);
      if (headers["content-length"] !== undefined && bodyBytes.length < Number(headers["content-length"])) return null;
      if (headers["transfer-encoding"] === "chunked") {
        const pieces: Buffer[] = [];
        for (let at = 0; ; ) {
          const eol = bodyBytes.indexOf("\r\n", at);
          if (eol < 0) return null;
          const size = parseInt(bodyBytes.subarray(at, eol).toString("latin1"), 16);
          if (size === 0) break;
          if (bodyBytes.length < eol + 2 + size) return null;
          pieces.push(bodyBytes.subarray(eol + 2, eol + 2 + size));
          at = eol + 2 + size + 2;
        }
        bodyBytes = Buffer.concat(pieces);
      }
      return {
        status: Number(statusLine!.split(" ")[1]),
        headers,
        body: bodyBytes.toString("utf8"),
        sentBeforeAnswer: sent,
      };
    };
    const finish = (err: Error | null) => {
      if (settled) return;
      const r = parse();
      if (!r && !err) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      if (r) resolve(r);
      else reject(err);
    };
    socket.on("data", (c: Buffer) => {
      answered = true;
      chunks.push(c);
      finish(null);
    });
    socket.on("end", () => finish(new Error("connection closed without an answer")));
    socket.on("error", (e) => (answered ? finish(null) : finish(e)));
    socket.on("connect", async () => {
      socket.write(head);
      for (const piece of body) {
        if (answered || socket.destroyed) break;
        const ok = socket.write(piece);
        sent += Buffer.byteLength(piece);
        if (!ok) await new Promise((r) => socket.once("drain", r));
      }
    });
  });
}

const head = (method: string, path: string, headers: Record<string, string | number>) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;

function* repeat(piece: Buffer, times: number) {
  for (let i = 0; i < times; i++) yield piece;
}
/** HTTP/1.1 chunked encoding of `times` pieces, then the last chunk. */
function* chunked(piece: Buffer, times: number) {
  const size = Buffer.from(`${piece.length.toString(16)}\r\n`);
  for (let i = 0; i < times; i++) yield Buffer.concat([size, piece, Buffer.from("\r\n")]);
  yield Buffer.from("0\r\n\r\n");
}
const KB64 = Buffer.alloc(64 * 1024, "a");

async function healthy() {
  const r = await fetch(`${base}/healthz`);
  return r.status;
}

describe("request bodies are bounded before anything reads them", () => {
  it("an anonymous 300 MB POST to /login is refused by its declared length at once, in the user's language; /healthz answers", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    for (const [lang, text] of [
      ["ru", "Запрос слишком большой: здесь принимается не больше 1 МБ"],
      ["kk", "Сұраныс тым үлкен: мұнда 1 МБ-тан аспауы керек"],
    ] as const) {
      const r = await raw(
        head("POST", "/login", {
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": 300 * 1024 * 1024,
          Cookie: `am_lang=${lang}`,
        }),
        repeat(KB64, 4800), // 300 MB, if the server kept reading
      );
      expect(r.status).toBe(413);
      expect(r.headers["content-type"]).toMatch(/^text\/html/);
      expect(r.body).toContain(`<html lang="${lang}"`);
      expect(r.body).toContain(text);
      expect(r.sentBeforeAnswer).toBeLessThan(50 * 1024 * 1024);
    }
    expect(await healthy()).toBe(200);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it("a chunked body (no declared length) is counted as it arrives and refused past the limit", async () => {
    const r = await raw(
      head("POST", "/login", {
        "Content-Type": "application/x-www-form-urlencoded",
        "Transfer-Encoding": "chunked",
        Cookie: "am_lang=ru",
      }),
      chunked(KB64, 160),
    ); // 10 MB
    expect(r.status).toBe(413);
    expect(r.body).toContain("не больше 1 МБ");
    expect(await healthy()).toBe(200);
  });

  it("tRPC: a 100 MB JSON body is refused before it is parsed, as a tRPC error in JSON; chunked as well", async () => {
    const declared = await raw(
      head("POST", "/api/trpc/auth.login", {
        "Content-Type": "application/json",
        "Content-Length": 100 * 1024 * 1024,
        Cookie: "am_lang=kk",
      }),
      repeat(KB64, 1600),
    );
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      error: {
        json: {
          message: expect.stringContaining("1 МБ-тан аспауы керек"),
          data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 },
        },
      },
    });
    const streamed = await raw(
      head("POST", "/api/trpc/auth.login", {
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
        Cookie: "am_lang=ru",
      }),
      chunked(KB64, 64),
    );
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.json.message).toContain("не больше 1 МБ");
  });

  it("a chunked body within the limit reaches the procedure whole", async () => {
    const json = Buffer.from(JSON.stringify({ json: { email: "not-an-email", password: "x".repeat(200_000) } }));
    const parts = [json.subarray(0, 70_000), json.subarray(70_000, 150_000), json.subarray(150_000)];
    const body = [
      ...parts.map((p) => Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from("\r\n")])),
      Buffer.from("0\r\n\r\n"),
    ];
    const r = await raw(
      head("POST", "/api/trpc/auth.login", {
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
        Cookie: "am_lang=ru",
      }),
      body,
    );
    // zod read the whole body: it names the e-mail field (and the password is too long)
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.json.data.fieldErrors).toMatchObject({
      email: expect.stringContaining("электронной почты"),
    });
  });

  it("a small chunked body that arrives with its headers in one packet is read too", async () => {
    const json = Buffer.from(JSON.stringify({ json: { email: "not-an-email", password: "x" } }));
    const packet = `${head("POST", "/api/trpc/auth.login", {
      "Content-Type": "application/json",
      "Transfer-Encoding": "chunked",
      Cookie: "am_lang=ru",
    })}${json.length.toString(16)}\r\n${json.toString()}\r\n0\r\n\r\n`;
    const r = await raw(packet);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.json.data.fieldErrors).toMatchObject({
      email: expect.stringContaining("электронной почты"),
    });
  });

  it("each upload has its own limit above its file's: the import form takes 11 MB, a bigger body is refused as a page or as the app's error", async () => {
    const h = (path: string) =>
      head("POST", path, {
        "Content-Type": "multipart/form-data; boundary=x",
        "Content-Length": 12 * 1024 * 1024,
        Cookie: `${cookie}; am_lang=ru`,
      });
    const page = await raw(h(`/s/${s.slug}/trainees/import`), repeat(KB64, 192));
    expect(page.status).toBe(413);
    expect(page.body).toContain("не больше 11 МБ");
    // the app's own fetch (single fetch) gets a Remix error its error boundary shows
    const app = await raw(h(`/s/${s.slug}/trainees/import.data`), repeat(KB64, 192));
    expect(app.status).toBe(413);
    expect(app.headers["content-type"]).toMatch(/^text\/x-script/);
    const decoded = await decode(new Blob([app.body]).stream(), {
      plugins: [
        (type: string, ...rest: unknown[]) =>
          type === "ErrorResponse" ? { value: { data: rest[0], status: rest[1], statusText: rest[2] } } : undefined,
      ],
    });
    await decoded.done;
    expect(decoded.value).toEqual({
      error: {
        status: 413,
        statusText: "Payload Too Large",
        data: {
          message:
            "Запрос слишком большой: здесь принимается не больше 11 МБ. Уменьшите файл или текст и отправьте снова",
        },
      },
    });
    // a form without files keeps the 1 MB limit
    const settings = await raw(
      head("POST", `/s/${s.slug}/settings`, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": 2 * 1024 * 1024,
        Cookie: `${cookie}; am_lang=ru`,
      }),
      repeat(KB64, 32),
    );
    expect(settings.status).toBe(413);
    expect(settings.body).toContain("не больше 1 МБ");
  });

  it("Stripe's webhook keeps its 1 MB limit", async () => {
    const r = await raw(
      head("POST", "/webhooks/stripe", { "Content-Type": "application/json", "Content-Length": 2 * 1024 * 1024 }),
      repeat(KB64, 32),
    );
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ received: false });
  });
});

describe("an XLSX bomb through the trainee import", () => {
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await xlsxBomb(); // 300,000 identical rows: ~2.7 MB that inflate to ~245 MB
  }, 120_000);

  it("the upload form refuses it with the limits in the message while /healthz keeps answering, and the heap stays small", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bomb)]), "курсанты.xlsx");
    const upload = fetch(`${base}/s/${s.slug}/trainees/import`, {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { cookie: `${cookie}; am_lang=ru` },
    });
    const health: number[] = [];
    let done = false;
    const polling = (async () => {
      do health.push(await healthy());
      while (!done);
    })();
    const res = await upload.finally(() => (done = true));
    await polling;
    clearInterval(sampler);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      "В файле слишком много данных: распакованный лист больше 16 МБ. Импорт принимает до 5\u00a0000 строк",
    );
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((h) => h === 200)).toBe(true);
    expect(peak - heapBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it("the API refuses it the same way (400, kk/ru message), and nothing is stored", async () => {
    const res = await fetch(`${base}/api/trpc/traineeImport.upload`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ json: { school: s.slug, fileName: "bomb.xlsx", fileBase64: bomb.toString("base64") } }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.json.data.fieldErrors.file).toContain("Импорт принимает до 5\u00a0000 строк"); // the director's language
    expect(await operatorDb().traineeImport.count({ where: { schoolId: s.schoolId } })).toBe(0);
  });
});
