// The stand-in's pages, as the Kaspi app would show them: what an account owes (the merchant's check answer),
// a "pay" button, then the outcome with every request the app made (a retried pay shows its attempts).
import type http from "node:http";
import type { PayTrace } from "./payer.ts";
import type { Reply } from "./protocol.ts";

const e = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function page(res: http.ServerResponse, title: string, body: string) {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}
.note{background:#fff3cd;border:1px solid #e0c36c;padding:.5rem .75rem;border-radius:6px}
label{display:block;margin:.6rem 0}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#f14635;color:#fff;border:0;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}
.ok{color:#1a7f37}.bad{color:#b3261e}</style>
</head><body>
<p class="note">Local Kaspi stand-in — Тестовая оплата / Сынақ төлем (нет настоящих денег / нақты ақша жоқ)</p>
${body}
</body></html>`);
}

const replyLine = (r: Reply | null) =>
  r
    ? `<span class="${r.result === 0 ? "ok" : "bad"}">HTTP ${r.status}, result ${r.result ?? "—"}${r.prvTxnId ? `, prv_txn_id ${e(r.prvTxnId)}` : ""}</span> — ${e(r.comment ?? "")}`
    : `<span class="bad">нет ответа / жауап жоқ</span>`;

function historyTable(history: PayTrace[]) {
  if (history.length === 0) return "";
  const rows = history
    .slice(0, 20)
    .map(
      (t) =>
        `<tr><td>${e(t.txnId)}</td><td>${e(t.account)}</td><td>${e(t.sum ?? "")}</td><td>${replyLine(t.final)}</td></tr>`,
    )
    .join("");
  return `<h2>История / Тарих</h2><table><tr><th>txn_id</th><th>account</th><th>sum</th><th>ответ / жауап</th></tr>${rows}</table>`;
}

/** The page's address for a payee and account, with the way back. */
export function payHref(d: { payee: string; account?: string; back?: string | null }): string {
  const q = new URLSearchParams({ payee: d.payee });
  if (d.account) q.set("account", d.account);
  if (d.back) q.set("back", d.back);
  return `/?${q.toString()}`;
}

/** What the payer types: a school's tuition takes a contract number or IIN, the operator's an invoice or BIN. */
const accountLabel = (payee: string) =>
  payee.startsWith("school-")
    ? "Номер договора или ИИН / Шарт нөмірі немесе ЖСН"
    : "Номер счёта или БИН / Шот нөмірі немесе БСН";

const hidden = (name: string, value: string | null) =>
  value ? `<input type="hidden" name="${name}" value="${e(value)}">` : "";

export function payPage(
  res: http.ServerResponse,
  d: { payee: string; account: string; check: Reply | null; back: string | null; history: PayTrace[] },
) {
  const owed = d.check?.result === 0 ? d.check.sum : null;
  const checkLine = d.check ? `<p>Проверка / Тексеру: ${replyLine(d.check)}</p>` : "";
  const pay = owed
    ? `<form method="post" action="/">
  ${hidden("payee", d.payee)}
  <input type="hidden" name="account" value="${e(d.account)}">
  ${d.back ? `<input type="hidden" name="back" value="${e(d.back)}">` : ""}
  <label>Сумма, ₸ / Сомасы, ₸ <input name="sum" value="${e(owed)}" inputmode="decimal"></label>
  <button type="submit">Оплатить / Төлеу</button>
</form>`
    : "";
  page(
    res,
    "Kaspi — платежи / төлемдер",
    `<h1>Платежи / Төлемдер</h1>
<p>Получатель / Алушы: <strong class="payee">${e(d.payee)}</strong></p>
<form method="get" action="/">
  ${hidden("payee", d.payee)}
  ${hidden("back", d.back)}
  <label>${accountLabel(d.payee)} <input name="account" value="${e(d.account)}" required></label>
  <button type="submit">Проверить / Тексеру</button>
</form>
${checkLine}${pay}
${d.back ? `<p><a href="${e(d.back)}">← Назад / Артқа</a></p>` : ""}
${historyTable(d.history)}`,
  );
}

/**
 * A payee the stand-in does not know yet: Kaspi holds each merchant's secret, so the developer gives it the one
 * the school's director set on the school's Kaspi settings page.
 */
export function registerPage(res: http.ServerResponse, d: { payee: string; account: string; back: string | null }) {
  page(
    res,
    "Kaspi — получатель / алушы",
    `<h1>Получатель / Алушы ${e(d.payee)}</h1>
<p>Локальный Kaspi ещё не знает секрет этого получателя. Введите секрет, заданный директором в настройках Kaspi школы.
/ Жергілікті Kaspi бұл алушының құпиясын әлі білмейді. Директор мектептің Kaspi баптауларында қойған құпияны енгізіңіз.</p>
<form method="post" action="/payees">
  ${hidden("payee", d.payee)}
  ${hidden("account", d.account)}
  ${hidden("back", d.back)}
  <label>Секрет / Құпия <input name="secret" required autocomplete="off"></label>
  <button type="submit">Сохранить / Сақтау</button>
</form>
${d.back ? `<p><a href="${e(d.back)}">← Назад / Артқа</a></p>` : ""}`,
  );
}

export function resultPage(res: http.ServerResponse, d: { payee: string; trace: PayTrace; back: string | null }) {
  const t = d.trace;
  const attempts = t.attempts
    .map(
      (a, i) =>
        `<li>pay #${i + 1}: ${a.lost ? `<span class="bad">ответ потерян (${a.lost})</span> — ` : ""}${replyLine(a.reply)}</li>`,
    )
    .join("");
  page(
    res,
    "Kaspi — результат / нәтиже",
    `<h1>${t.final?.result === 0 ? "Оплачено / Төленді" : "Не оплачено / Төленбеді"}</h1>
<p>txn_id <strong>${e(t.txnId)}</strong>, счёт / шот <strong>${e(t.account)}</strong>, сумма / сома <strong>${e(t.sum ?? "—")}</strong></p>
<p>check: ${replyLine(t.check)}</p>
<ol>${attempts}</ol>
<p>${d.back ? `<a href="${e(d.back)}">Вернуться / Оралу</a> · ` : ""}<a href="${e(payHref({ payee: d.payee, back: d.back }))}">Ещё платёж / Тағы төлем</a></p>`,
  );
}
