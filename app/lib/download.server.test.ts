import { contentDisposition, safeFileName } from "./download.server.ts";

describe("download file names", () => {
  it("drop bidi and invisible characters but keep Kazakh and Russian letters", () => {
    expect(safeFileName("скрин\u202Egnp.exe")).toBe("скринgnp.exe");
    expect(safeFileName("\u2067Әбенова\u2069_\u200FАйгерім\u200E.pdf")).toBe("Әбенова_Айгерім.pdf");
    expect(safeFileName("Оқушылар_тізілімі_2026-11-25.xlsx")).toBe("Оқушылар_тізілімі_2026-11-25.xlsx");
    expect(safeFileName("a\u0000b\r\nc\u2028d\uD800.txt")).toBe("abcd.txt");
  });

  it("drop paths, reserved characters, hidden-file dots and trailing dots", () => {
    expect(safeFileName("../../etc/passwd")).toBe("-..-etc-passwd");
    expect(safeFileName('...акт "№5": *итог*?.pdf..')).toBe("акт -№5- -итог-.pdf");
    expect(safeFileName("\u202E\u202E")).toBe("file");
  });

  it("give browsers the UTF-8 name and older clients an ASCII twin, without an RTL override in either", () => {
    const cd = contentDisposition("Шарт\u202Efdp.exe (1).pdf");
    expect(cd).toBe(
      `attachment; filename="____fdp.exe (1).pdf"; filename*=UTF-8''${encodeURIComponent("Шартfdp.exe ")}%281%29.pdf`,
    );
    expect(cd).not.toMatch(/%E2%80%AE/i);
    expect(contentDisposition("Оқушылар.xlsx", { ascii: "avtomektep-template-kk.xlsx" })).toBe(
      `attachment; filename="avtomektep-template-kk.xlsx"; filename*=UTF-8''${encodeURIComponent("Оқушылар.xlsx")}`,
    );
  });
});
