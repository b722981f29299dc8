// Downloaded files: what a download procedure returns, and the name a browser is offered to save, for every
// download the web serves (Remix resource routes through app/lib/download.server.ts, the archive's streamed route).

/** What a download procedure returns; a Remix resource route turns it into the HTTP response. */
export type FileDownload = { fileName: string; contentType: string; base64: string };

/**
 * Characters a file name never keeps: controls, invisible format characters — among them the bidi controls
 * (an RTL override U+202E makes "скрин‮gnp.exe" show as "скринexe.png") — unpaired surrogates and line
 * separators. Letters of every language stay, so Kazakh and Russian names survive.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/gu;

/** A file name safe to offer for saving: no invisible or bidi characters, no path, no reserved characters. */
export function safeFileName(name: string, fallback = "file"): string {
  const cleaned = name
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(/[\\/:*?"<>|]+/g, "-")
    .replace(/\s+/g, " ")
    .replace(/^[\s.]+|[\s.]+$/g, "") // no hidden ".name", no trailing dot or space (Windows drops them)
    .slice(0, 200);
  return cleaned || fallback;
}

/** RFC 8187 value-chars: what encodeURIComponent leaves plus the four it doesn't escape but should. */
const encodeValue = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266): the UTF-8 name for browsers, an ASCII twin for the rest. */
export function contentDisposition(
  name: string,
  opts: { disposition?: "attachment" | "inline"; ascii?: string } = {},
): string {
  const safe = safeFileName(name);
  const ascii = safeFileName(opts.ascii ?? safe)
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\%]/g, "_");
  const disposition = opts.disposition ?? "attachment";
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeValue(safe)}`;
}
