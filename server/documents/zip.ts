// Reading a zip that someone uploaded (an .xlsx is one) with the work bounded by what is really read.
// A 219 KB file can inflate to 364 MB: the entry count and the sizes the archive declares are checked
// before a byte is inflated, and while an entry streams its real inflated bytes are counted — declared
// sizes can lie — so reading stops at the bound, not at the end of the bomb.
import yauzl from "yauzl";

export type ZipLimits = {
  /** entries in the central directory */
  maxEntries: number;
  /** uncompressed bytes of one entry, declared or really inflated */
  maxEntryBytes: number;
  /** uncompressed bytes of all entries together (declared), and of everything inflated through one BoundedZip */
  maxTotalBytes: number;
};

export type ZipRefusal = "unreadable" | "tooManyEntries" | "tooLarge";

/** Why an archive was not read; the caller turns it into its own kk/ru message. */
export class ZipRefused extends Error {
  constructor(
    readonly reason: ZipRefusal,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = "ZipRefused";
  }
}

export type BoundedZip = {
  /** entry names, in central-directory order */
  readonly names: readonly string[];
  /**
   * Streams one entry's inflated bytes to `onData`; false when there is no such entry. Rejects with
   * ZipRefused("tooLarge") as soon as the inflated bytes pass a bound, and with whatever `onData` throws.
   */
  read(name: string, onData: (chunk: Buffer) => void): Promise<boolean>;
  /** bytes inflated so far, all entries */
  readonly inflated: number;
};

function open(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // validateEntrySizes off: the counting below is the check, against the bound as well as the declaration.
    yauzl.fromBuffer(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      { lazyEntries: true, validateEntrySizes: false, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(new ZipRefused("unreadable", err?.message)) : resolve(zip)),
    );
  });
}

/** The archive's directory, checked against `limits`; nothing is inflated yet. */
export async function openZip(bytes: Uint8Array, limits: ZipLimits): Promise<BoundedZip> {
  const zip = await open(bytes);
  if (zip.entryCount > limits.maxEntries) throw new ZipRefused("tooManyEntries", String(zip.entryCount));
  const entries = new Map<string, yauzl.Entry>();
  let declared = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      declared += entry.uncompressedSize;
      if (entry.uncompressedSize > limits.maxEntryBytes || declared > limits.maxTotalBytes) {
        zip.close();
        return reject(new ZipRefused("tooLarge", `${entry.fileName} declares ${entry.uncompressedSize} bytes`));
      }
      if (!entries.has(entry.fileName)) entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve());
    zip.once("error", (err: Error) => reject(new ZipRefused("unreadable", err.message)));
    zip.readEntry();
  });

  let inflated = 0;
  return {
    names: [...entries.keys()],
    get inflated() {
      return inflated;
    },
    read(name, onData) {
      const entry = entries.get(name);
      if (!entry) return Promise.resolve(false);
      if (entry.isEncrypted() || !entry.canDecodeFileData())
        return Promise.reject(new ZipRefused("unreadable", `${name} is encrypted or uses an unknown method`));
      return new Promise<boolean>((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(new ZipRefused("unreadable", err?.message));
          let own = 0;
          let failed = false;
          const fail = (e: unknown) => {
            if (failed) return;
            failed = true;
            stream.destroy();
            reject(e);
          };
          stream.on("data", (chunk: Buffer) => {
            if (failed) return;
            own += chunk.length;
            inflated += chunk.length;
            // More than declared is a lying archive; more than the bound is too much, whatever was declared.
            if (own > limits.maxEntryBytes || inflated > limits.maxTotalBytes)
              return fail(new ZipRefused("tooLarge", `${name} inflates past the bound`));
            if (own > entry.uncompressedSize)
              return fail(new ZipRefused("unreadable", `${name} inflates past its declared size`));
            try {
              onData(chunk);
            } catch (e) {
              fail(e);
            }
          });
          stream.once("error", (e: Error) => fail(new ZipRefused("unreadable", e.message)));
          stream.once("end", () => {
            if (!failed) resolve(true);
          });
        });
      });
    },
  };
}
