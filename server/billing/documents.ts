// The operator's documents for a school as PDF: the invoice (Төлем шоты / Счёт на оплату) for a paid
// period, and the act of completed work (form Р-1) for the days of paid periods a month served (acts.ts).
// Both are bilingual — every label "Kazakh / Russian" from the billingDocs namespace, data printed once.
// Pure rendering: the caller gathers the data and keeps the bytes.
import { formatDate, formatTiyn, translator } from "../../domain/i18n/index.ts";
import { createPdf, pdfBuffer } from "../documents/pdf.ts";
import { ensureRoom, PAGE } from "../exports/pdf-layout.ts";
import { amountInWords } from "../../domain/kz/words.ts";

export type Requisites = {
  name: string;
  bin: string;
  address: string;
  kbe: string;
  knp: string;
  banks: { name: string; iik: string; bik: string }[];
  email: string;
};
export type Party = { name: string; binIin: string; address: string | null };
export type DocLine = {
  descriptionKk: string;
  descriptionRu: string;
  unitKk: string;
  unitRu: string;
  quantity: number;
  priceTiyn: number;
  amountTiyn: number;
  performedOn?: string /* YYYY-MM-DD, act only */;
};
export type Vat = { rateBp: number /* 1600 = 16% */ } | null; // null = the operator does not charge VAT
export type InvoiceDocData = {
  number: string;
  issuedOn: string;
  dueOn: string;
  supplier: Requisites;
  buyer: Party;
  offer: { version: number; date: string } /* the public offer = the contract */;
  lines: DocLine[];
  totalTiyn: number;
  vat: Vat;
  periodStart: string;
  periodEnd: string;
  /** the school's credit taken off this invoice (an overpayment, a credit note): a line of its own */
  creditTiyn?: number;
};
export type ActDocData = {
  number: string;
  date: string;
  executor: Requisites;
  customer: Party;
  customerDirector: string;
  offer: { version: number; date: string };
  invoiceNumber: string;
  lines: DocLine[];
  totalTiyn: number;
  vat: Vat;
  periodStart: string;
  periodEnd: string;
};

/** VAT included in a total: round(total * rate / (10000 + rate)) — prices include VAT. */
export function vatIncluded(totalTiyn: number, rateBp: number): number {
  return Math.round((totalTiyn * rateBp) / (10000 + rateBp));
}

type Doc = PDFKit.PDFDocument;
type Params = Record<string, string | number>;
const { LEFT: L, WIDTH: W } = PAGE;
const kk = translator("kk");
const ru = translator("ru");
const label = (t: typeof kk, key: string, params: Params = {}) => t(`billingDocs:${key}`, params) as string;

/** "Kazakh / Russian"; once when both halves are the same ("Кбе", "№"). */
function bi(key: string, params: Params = {}): string {
  return pair(label(kk, key, params), label(ru, key, params));
}
const pair = (a: string, b: string) => (a === b ? a : `${a} / ${b}`);
const day = (date: string) => formatDate(date);
const number = (n: number) => String(n).replace(".", ",");
const offerText = (offer: { version: number; date: string }) =>
  bi("offer", { version: offer.version, date: day(offer.date) });
const period = (start: string, end: string) => `${day(start)}–${day(end)}`;
const party = (p: Party, idLabel: string) => [p.name, `${idLabel} ${p.binIin}`, p.address].filter(Boolean).join(", ");

type Col = { header: string; width: number; align?: "left" | "center" | "right" };

/** A bordered table at x; the header row is drawn again after a page break. */
function grid(doc: Doc, cols: Col[], rows: string[][], x = L): void {
  const pad = 3;
  const style = (header: boolean) => doc.font(header ? "bold" : "regular").fontSize(header ? 7.5 : 8.5);
  const height = (cells: string[]) =>
    Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: cols[i]!.width - 2 * pad }))) + 2 * pad;
  const draw = (cells: string[], header: boolean) => {
    style(header);
    const h = height(cells);
    const y = doc.y;
    let cx = x;
    cells.forEach((c, i) => {
      const { width, align = "left" } = cols[i]!;
      doc.lineWidth(0.5).rect(cx, y, width, h);
      if (header) doc.fillAndStroke("#eef1f5", "black");
      else doc.stroke("black");
      doc.fillColor("black").text(c, cx + pad, y + pad, { width: width - 2 * pad, align: header ? "center" : align });
      cx += width;
    });
    doc.x = L;
    doc.y = y + h;
  };
  const headers = cols.map((c) => c.header);
  const room = (cells: string[], header: boolean) => {
    style(header);
    return height(cells);
  };
  ensureRoom(doc, room(headers, true) + (rows[0] ? room(rows[0], false) : 0));
  draw(headers, true);
  for (const r of rows) {
    if (doc.y + room(r, false) > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      doc.y = doc.page.margins.top;
      draw(headers, true);
    }
    draw(r, false);
  }
  doc.font("regular").fontSize(9);
}

/** Bold label on the left, value on the right. */
function rows(doc: Doc, items: [string, string][], labelW = 160): void {
  for (const [name, value] of items) {
    doc.fontSize(9);
    const h = Math.max(
      doc.font("bold").heightOfString(name, { width: labelW - 8 }),
      doc.font("regular").heightOfString(value, { width: W - labelW }),
    );
    ensureRoom(doc, h + 4);
    const y = doc.y;
    doc.font("bold").text(name, L, y, { width: labelW - 8 });
    doc.font("regular").text(value, L + labelW, y, { width: W - labelW });
    doc.x = L;
    doc.y = y + h + 5;
  }
}

function paragraph(
  doc: Doc,
  text: string,
  opts: { bold?: boolean; size?: number; align?: "left" | "center" | "right"; gap?: number } = {},
): void {
  doc.font(opts.bold ? "bold" : "regular").fontSize(opts.size ?? 9);
  ensureRoom(doc, doc.heightOfString(text, { width: W }) + 2);
  doc.fillColor("black").text(text, L, doc.y, { width: W, align: opts.align ?? "left" });
  doc.y += opts.gap ?? 3;
}

function rule(doc: Doc): void {
  doc
    .moveTo(L, doc.y)
    .lineTo(L + W, doc.y)
    .lineWidth(1)
    .stroke("black");
  doc.y += 8;
}

const lineRow = (line: DocLine) => [`${line.descriptionKk}\n${line.descriptionRu}`, pair(line.unitKk, line.unitRu)];

/** Total, the VAT line (or "without VAT") and the total in words in both languages. */
function totals(doc: Doc, totalTiyn: number, vat: Vat): void {
  doc.y += 4;
  paragraph(doc, `${bi("total")}: ${formatTiyn(totalTiyn)}`, { bold: true, align: "right" });
  const vatLine = vat
    ? `${bi("vat", { rate: number(vat.rateBp / 100) })}: ${formatTiyn(vatIncluded(totalTiyn, vat.rateBp))}`
    : bi("noVat");
  paragraph(doc, vatLine, { bold: true, align: "right", gap: 8 });
}

function inWords(doc: Doc, totalTiyn: number): void {
  paragraph(doc, `${label(kk, "words")}: ${amountInWords(totalTiyn, "kk")}`, { bold: true, gap: 1 });
  paragraph(doc, `${label(ru, "words")}: ${amountInWords(totalTiyn, "ru")}`, { bold: true, gap: 8 });
}

export async function invoicePdf(data: InvoiceDocData): Promise<Buffer> {
  const title = bi("invoice.title", { number: data.number, date: day(data.issuedOn) });
  const doc = createPdf({ title, author: data.supplier.name });
  const s = data.supplier;

  // The payment block a bookkeeper copies into the payment order.
  grid(
    doc,
    [
      { header: bi("invoice.beneficiary"), width: 235 },
      { header: bi("bin"), width: 90, align: "center" },
      { header: bi("invoice.kbe"), width: 50, align: "center" },
      { header: bi("invoice.knp"), width: 120, align: "center" },
    ],
    [[s.name, s.bin, s.kbe, s.knp]],
  );
  grid(
    doc,
    [
      { header: bi("invoice.bank"), width: 235 },
      { header: bi("invoice.iik"), width: 170, align: "center" },
      { header: bi("invoice.bik"), width: 90, align: "center" },
    ],
    s.banks.map((b) => [b.name, b.iik, b.bik]),
  );

  doc.y += 16;
  paragraph(doc, title, { bold: true, size: 12, align: "center", gap: 6 });
  rule(doc);
  rows(doc, [
    [
      bi("invoice.supplier"),
      `${party({ name: s.name, binIin: s.bin, address: s.address }, bi("bin"))}, ${bi("email")} ${s.email}`,
    ],
    [bi("invoice.buyer"), party(data.buyer, bi("binIin"))],
    [bi("invoice.contract"), offerText(data.offer)],
    [bi("period"), period(data.periodStart, data.periodEnd)],
  ]);
  doc.y += 6;

  grid(
    doc,
    [
      { header: bi("cols.n"), width: 24, align: "center" },
      { header: bi("cols.service"), width: 206 },
      { header: bi("cols.qty"), width: 45, align: "right" },
      { header: bi("cols.unit"), width: 60, align: "center" },
      { header: bi("cols.price"), width: 80, align: "right" },
      { header: bi("cols.sum"), width: 80, align: "right" },
    ],
    data.lines.map((line, i) => {
      const [description, unit] = lineRow(line);
      return [
        String(i + 1),
        description!,
        number(line.quantity),
        unit!,
        formatTiyn(line.priceTiyn),
        formatTiyn(line.amountTiyn),
      ];
    }),
  );
  totals(doc, data.totalTiyn, data.vat);
  if (data.creditTiyn) {
    paragraph(doc, `${bi("creditNote.credit")}: −${formatTiyn(data.creditTiyn)}`, { bold: true, align: "right" });
    paragraph(doc, `${bi("creditNote.toPay")}: ${formatTiyn(data.totalTiyn - data.creditTiyn)}`, {
      bold: true,
      align: "right",
      gap: 8,
    });
  }
  paragraph(doc, bi("invoice.items", { count: data.lines.length, amount: formatTiyn(data.totalTiyn) }));
  inWords(doc, data.totalTiyn);
  rule(doc);
  paragraph(doc, bi("invoice.due", { date: day(data.dueOn) }), { bold: true, gap: 6 });
  // The number in the payment purpose is what matches the bank statement to this invoice.
  paragraph(doc, label(kk, "invoice.purpose", { number: data.number }), { gap: 2 });
  paragraph(doc, label(ru, "invoice.purpose", { number: data.number }), { gap: 24 });
  ensureRoom(doc, 30);
  paragraph(doc, `${bi("invoice.executor")}  ______________________________`, { bold: true });
  return pdfBuffer(doc);
}

/** One side of the act's "handed over / accepted": position, signature and name over captioned lines. */
function signature(
  doc: Doc,
  x: number,
  y: number,
  width: number,
  title: string,
  position: string,
  name: string,
): number {
  doc.font("bold").fontSize(9).fillColor("black").text(title, x, y, { width });
  let yy = doc.y + 4;
  for (const [value, caption] of [
    [position, "act.position"],
    ["", "act.signature"],
    [name, "act.fullName"],
  ] as const) {
    doc
      .font("regular")
      .fontSize(9)
      .text(value || " ", x, yy + 4, { width, align: "center" });
    const lineY = Math.max(doc.y, yy + 16);
    doc
      .moveTo(x, lineY)
      .lineTo(x + width, lineY)
      .lineWidth(0.5)
      .stroke("black");
    doc
      .fontSize(6.5)
      .fillColor("#555555")
      .text(bi(caption), x, lineY + 2, { width, align: "center" });
    doc.fillColor("black");
    yy = doc.y + 2;
  }
  doc.fontSize(8).text(bi("act.stamp"), x, yy + 4, { width });
  return doc.y;
}

export async function actPdf(data: ActDocData): Promise<Buffer> {
  const title = bi("act.title");
  const doc = createPdf({ title: `${title} № ${data.number}`, author: data.executor.name });
  const e = data.executor;

  const boxW = 270;
  doc.font("regular").fontSize(7.5);
  for (const text of [label(kk, "act.appendix"), label(ru, "act.appendix")]) {
    doc.text(text, L + W - boxW, doc.y, { width: boxW, align: "right" });
    doc.y += 2;
  }
  doc.font("bold").text(bi("act.form"), L + W - boxW, doc.y, { width: boxW, align: "right" });
  doc.x = L;
  doc.y += 10;

  rows(doc, [
    [bi("act.customer"), party(data.customer, bi("binIin"))],
    [bi("act.executor"), party({ name: e.name, binIin: e.bin, address: e.address }, bi("bin"))],
    [bi("act.contract"), offerText(data.offer)],
    [bi("act.invoice"), `№ ${data.invoiceNumber}`],
    [bi("period"), period(data.periodStart, data.periodEnd)],
  ]);
  doc.y += 4;
  grid(
    doc,
    [
      { header: bi("act.docNumber"), width: 120, align: "center" },
      { header: bi("act.docDate"), width: 120, align: "center" },
    ],
    [[data.number, day(data.date)]],
    L + W - 240,
  );
  doc.y += 12;
  paragraph(doc, title, { bold: true, size: 11, align: "center", gap: 10 });

  grid(
    doc,
    [
      { header: bi("act.cols.n"), width: 26, align: "center" },
      { header: bi("act.cols.service"), width: 135 },
      { header: bi("act.cols.date"), width: 85, align: "center" },
      { header: bi("act.cols.unit"), width: 52, align: "center" },
      { header: bi("act.cols.qty"), width: 57, align: "right" },
      { header: bi("act.cols.price"), width: 70, align: "right" },
      { header: bi("act.cols.cost"), width: 70, align: "right" },
    ],
    data.lines.map((line, i) => {
      const [description, unit] = lineRow(line);
      const performed = day(line.performedOn ?? data.periodEnd);
      return [
        String(i + 1),
        description!,
        performed,
        unit!,
        number(line.quantity),
        formatTiyn(line.priceTiyn),
        formatTiyn(line.amountTiyn),
      ];
    }),
  );
  totals(doc, data.totalTiyn, data.vat);
  inWords(doc, data.totalTiyn);
  paragraph(doc, label(kk, "act.noClaims"), { gap: 2 });
  paragraph(doc, label(ru, "act.noClaims"), { gap: 14 });

  ensureRoom(doc, 135); // the height of a signature block
  const y = doc.y;
  const colW = (W - 30) / 2;
  signature(doc, L, y, colW, bi("act.handed"), "", "");
  signature(doc, L + colW + 30, y, colW, bi("act.accepted"), bi("act.director"), data.customerDirector);
  return pdfBuffer(doc);
}

export type CreditNoteDocData = {
  number: string;
  date: string;
  executor: Requisites;
  customer: Party;
  offer: { version: number; date: string };
  invoiceNumber: string;
  invoiceDate: string;
  amountTiyn: number;
  reason: string;
  vat: Vat;
};

/** A credit note (кредит-нота): the sum the operator credits the school against an invoice, and why. */
export async function creditNotePdf(data: CreditNoteDocData): Promise<Buffer> {
  const title = bi("creditNote.title", { number: data.number, date: day(data.date) });
  const doc = createPdf({ title, author: data.executor.name });
  const e = data.executor;
  paragraph(doc, title, { bold: true, size: 12, align: "center", gap: 6 });
  rule(doc);
  rows(doc, [
    [bi("act.executor"), party({ name: e.name, binIin: e.bin, address: e.address }, bi("bin"))],
    [bi("act.customer"), party(data.customer, bi("binIin"))],
    [bi("act.contract"), offerText(data.offer)],
    [bi("creditNote.invoice"), `№ ${data.invoiceNumber}, ${day(data.invoiceDate)}`],
    [bi("creditNote.reason"), data.reason],
  ]);
  doc.y += 6;
  paragraph(doc, label(kk, "creditNote.lead"), { gap: 2 });
  paragraph(doc, label(ru, "creditNote.lead"), { gap: 8 });
  totals(doc, data.amountTiyn, data.vat);
  inWords(doc, data.amountTiyn);
  rule(doc);
  ensureRoom(doc, 30);
  paragraph(doc, `${bi("invoice.executor")}  ______________________________`, { bold: true });
  return pdfBuffer(doc);
}

export type ReconciliationDocData = {
  date: string;
  from: string;
  to: string;
  executor: Requisites;
  customer: Party;
  customerDirector: string;
  openingTiyn: number;
  lines: {
    date: string;
    kind: "act" | "payment" | "refund" | "credit_note";
    number: string;
    debitTiyn: number;
    creditTiyn: number;
  }[];
  debitTiyn: number;
  creditTiyn: number;
  closingTiyn: number;
};

/** A balance in its column: a debt of the customer is a debit, an advance a credit. */
const sides = (balance: number): [string, string] =>
  balance >= 0 ? [formatTiyn(balance), ""] : ["", formatTiyn(-balance)];

/**
 * The reconciliation act (акт сверки взаиморасчётов): the operator's side filled from its ledger, the customer's
 * side left blank for the school's accountant to fill and sign, as is customary.
 */
export async function reconciliationPdf(data: ReconciliationDocData): Promise<Buffer> {
  const title = bi("recon.title");
  const doc = createPdf({ title, author: data.executor.name });
  const e = data.executor;
  paragraph(doc, title, { bold: true, size: 11, align: "center", gap: 4 });
  paragraph(doc, bi("recon.subtitle", { from: day(data.from), to: day(data.to) }), { align: "center", gap: 10 });
  rows(doc, [
    [bi("act.executor"), party({ name: e.name, binIin: e.bin, address: e.address }, bi("bin"))],
    [bi("act.customer"), party(data.customer, bi("binIin"))],
    [bi("act.docDate"), day(data.date)],
  ]);
  doc.y += 4;
  const money = (n: number) => (n ? formatTiyn(n) : "");
  const kind = (k: ReconciliationDocData["lines"][number]["kind"]) => bi(`recon.kinds.${k}`);
  const [openD, openC] = sides(data.openingTiyn);
  const [closeD, closeC] = sides(data.closingTiyn);
  grid(
    doc,
    [
      { header: bi("recon.cols.date"), width: 62, align: "center" },
      { header: bi("recon.cols.document"), width: 165 },
      { header: bi("recon.cols.debit"), width: 70, align: "right" },
      { header: bi("recon.cols.credit"), width: 70, align: "right" },
      { header: bi("recon.cols.theirDebit"), width: 74, align: "right" },
      { header: bi("recon.cols.theirCredit"), width: 74, align: "right" },
    ],
    [
      ["", bi("recon.opening", { date: day(data.from) }), openD, openC, "", ""],
      ...data.lines.map((l) => [
        day(l.date),
        `${kind(l.kind)} № ${l.number}`,
        money(l.debitTiyn),
        money(l.creditTiyn),
        "",
        "",
      ]),
      ["", bi("recon.turnover"), formatTiyn(data.debitTiyn), formatTiyn(data.creditTiyn), "", ""],
      ["", bi("recon.closing", { date: day(data.to) }), closeD, closeC, "", ""],
    ],
  );
  doc.y += 8;
  const outcome = (t: typeof kk) =>
    data.closingTiyn === 0
      ? label(t, "recon.settled", { date: day(data.to) })
      : label(t, data.closingTiyn > 0 ? "recon.owesExecutor" : "recon.owesCustomer", {
          date: day(data.to),
          executor: e.name,
          customer: data.customer.name,
          amount: formatTiyn(Math.abs(data.closingTiyn)),
        });
  paragraph(doc, outcome(kk), { bold: true, gap: 2 });
  paragraph(doc, outcome(ru), { bold: true, gap: 14 });
  ensureRoom(doc, 135);
  const y = doc.y;
  const colW = (W - 30) / 2;
  signature(doc, L, y, colW, bi("act.executor"), "", "");
  signature(doc, L + colW + 30, y, colW, bi("act.customer"), bi("act.director"), data.customerDirector);
  return pdfBuffer(doc);
}
