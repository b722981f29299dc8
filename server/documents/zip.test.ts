import { openZip, ZipRefused } from "./zip.ts";
import { zipOf } from "../../tests/xlsx-bomb.ts";

const LIMITS = { maxEntries: 10, maxEntryBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 };

/** Everything an entry inflates to, as read through the bounded reader. */
async function readAll(bytes: Buffer, name: string, limits = LIMITS) {
  const zip = await openZip(bytes, limits);
  const chunks: Buffer[] = [];
  await zip.read(name, (c) => chunks.push(c));
  return { text: Buffer.concat(chunks).toString("utf8"), inflated: zip.inflated };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

/** Sets the uncompressed size every central-directory record declares (an archive that lies about its sizes). */
function declare(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let i = out.indexOf("PK\x01\x02"); i >= 0; i = out.indexOf("PK\x01\x02", i + 4)) out.writeUInt32LE(size, i + 24);
  return out;
}

describe("a zip read with bounded work", () => {
  it("reads the entries it is asked for, and nothing else", async () => {
    const zip = await zipOf({ "a.txt": "Сәлем", "big.bin": "x".repeat(900_000) });
    const r = await readAll(zip, "a.txt");
    expect(r.text).toBe("Сәлем");
    expect(r.inflated).toBe(Buffer.byteLength("Сәлем"));
    expect(await (await openZip(zip, LIMITS)).read("missing.txt", () => {})).toBe(false);
  });

  it("refuses more entries than allowed before inflating anything", async () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}.txt`, "x"]));
    const e = await refusal(openZip(await zipOf(many), LIMITS));
    expect(e).toBeInstanceOf(ZipRefused);
    expect((e as ZipRefused).reason).toBe("tooManyEntries");
  });

  it("refuses an entry, or entries together, declaring more than the bound", async () => {
    const one = await refusal(openZip(await zipOf({ "bomb.xml": "<a/>".repeat(300_000) }), LIMITS));
    expect((one as ZipRefused).reason).toBe("tooLarge");
    const together = await refusal(
      openZip(
        await zipOf({ "a.xml": "a".repeat(900_000), "b.xml": "b".repeat(900_000), "c.xml": "c".repeat(900_000) }),
        LIMITS,
      ),
    );
    expect((together as ZipRefused).reason).toBe("tooLarge");
  });

  it("stops inflating at the bound when the archive declares less than it holds", async () => {
    // 20 MB of zeros that the directory says are 1 MB: the declaration passes, the real bytes don't.
    const liar = declare(await zipOf({ "bomb.xml": "\0".repeat(20 * 1024 * 1024) }), LIMITS.maxEntryBytes);
    const zip = await openZip(liar, LIMITS);
    let seen = 0;
    const e = await refusal(
      zip.read("bomb.xml", (c) => {
        seen += c.length;
      }),
    );
    expect((e as ZipRefused).reason).toBe("tooLarge");
    expect(seen).toBeLessThanOrEqual(LIMITS.maxEntryBytes);
    // and one declaring a few bytes is refused as soon as it inflates past them
    const small = declare(await zipOf({ "bomb.xml": "\0".repeat(5 * 1024 * 1024) }), 100);
    const e2 = await refusal((await openZip(small, LIMITS)).read("bomb.xml", () => {}));
    expect((e2 as ZipRefused).reason).toBe("unreadable");
  });

  it("counts everything inflated through one archive against the total", async () => {
    // both entries together are within the total; reading one of them again is not
    const zip = await openZip(await zipOf({ "a.xml": "a".repeat(700_000), "b.xml": "b".repeat(700_000) }), {
      ...LIMITS,
      maxTotalBytes: 1_500_000,
    });
    await zip.read("a.xml", () => {});
    await zip.read("b.xml", () => {});
    const e = await refusal(zip.read("a.xml", () => {}));
    expect((e as ZipRefused).reason).toBe("tooLarge");
    expect(zip.inflated).toBeLessThanOrEqual(1_500_000 + 65_536);
  });

  it("calls a file that isn't a zip unreadable", async () => {
    const e = await refusal(openZip(Buffer.from("MZ this is a program"), LIMITS));
    expect((e as ZipRefused).reason).toBe("unreadable");
  });
});
