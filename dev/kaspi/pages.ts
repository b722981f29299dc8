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

export function payPage(
  res: http.ServerResponse,
  d: { account: string; check: Reply | null; back: string | null; history: PayTrace[] },
) {
  const owed = d.check?.result === 0 ? d.check.sum : null;
  const checkLine = d.check ? `<p>Проверка / Тексеру: ${replyLine(d.check)}</p>` : "";
  const pay = owed
    ? `<form method="post" action="/">
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
<form method="get" action="/">
  ${d.back ? `<input type="hidden" name="back" value="${e(d.back)}">` : ""}
  <label>Номер счёта или БИН / Шот нөмірі немесе БСН <input name="account" value="${e(d.account)}" required></label>
  <button type="submit">Проверить / Тексеру</button>
</form>
${checkLine}${pay}
${d.back ? `<p><a href="${e(d.back)}">← Назад / Артқа</a></p>` : ""}
${historyTable(d.history)}`,
  );
}

export function resultPage(res: http.ServerResponse, d: { trace: PayTrace; back: string | null }) {
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
<p>${d.back ? `<a href="${e(d.back)}">Вернуться / Оралу</a> · ` : ""}<a href="/">Ещё платёж / Тағы төлем</a></p>`,
  );
}
