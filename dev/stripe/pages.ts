// The hosted Checkout stand-in a session's url points at: GET /pay/:id shows the amount and a prefilled test
// card, POST /pay/:id pays (a second click only redirects) and answers 303 to the session's success_url.
import type http from "node:http";

import { formatTiyn } from "../../domain/i18n/index.ts";
import type { Controls } from "./controls.ts";
import type { Store } from "./state.ts";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Answers GET and POST /pay/:id; false for any other request. */
export async function handlePage(
  store: Store,
  controls: Controls,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): Promise<boolean> {
  const pay = /^\/pay\/([^/]+)$/.exec(path);
  if (pay && req.method === "GET") {
    payPage(store, res, decodeURIComponent(pay[1]!));
    return true;
  }
  if (pay && req.method === "POST") {
    const record = store.sessions.get(decodeURIComponent(pay[1]!));
    if (!record) {
      payPage(store, res, decodeURIComponent(pay[1]!));
      return true;
    }
    if (record.session.status === "open") await controls.complete(record.session.id); // a second click only redirects
    const location = record.session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", record.session.id);
    res.writeHead(303, { location }).end();
    return true;
  }
  return false;
}

/** The payment form while the session is open, "paid" with a link back once it is complete. */
function payPage(store: Store, res: http.ServerResponse, id: string) {
  const record = store.sessions.get(id);
  res.setHeader("content-type", "text/html; charset=utf-8");
  if (!record) {
    res
      .writeHead(404)
      .end("<!doctype html><meta charset=utf-8><p>Сессия оплаты не найдена / Төлем сессиясы табылмады</p>");
    return;
  }
  const { session, description } = record;
  const e = escapeHtml;
  const back = session.cancel_url ? `<p><a href="${e(session.cancel_url)}">← Назад / Артқа</a></p>` : "";
  const successUrl = session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id);
  const body =
    session.status === "open"
      ? `<form method="post" action="/pay/${e(id)}">
  <label>Email <input name="email" value="${e(session.customer_email ?? "")}" readonly></label>
  <label>Номер карты / Карта нөмірі <input name="card" value="4242 4242 4242 4242" inputmode="numeric"></label>
  <label>Срок действия / Жарамдылық мерзімі <input name="exp" value="12 / 34"></label>
  <label>CVC <input name="cvc" value="123"></label>
  <button type="submit">Оплатить / Төлеу</button>
</form>${back}`
      : `<p><strong>Оплачено / Төленді</strong></p><p><a href="${e(successUrl)}">Вернуться на сайт / Сайтқа оралу</a></p>`;
  res.writeHead(200).end(`<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Оплата / Төлем — ${e(description)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
.note{background:#fff3cd;border:1px solid #e0c36c;padding:.5rem .75rem;border-radius:6px}
label{display:block;margin:.6rem 0}input{display:block;width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#635bff;color:#fff;border:0;border-radius:6px}</style>
</head><body>
<p class="note">Test payment page (local Stripe stand-in) — Тестовая страница оплаты / Сынақ төлем беті</p>
<h1>${e(description)}</h1>
<p>Сумма / Сомасы: <strong class="amount">${e(formatTiyn(session.amount_total))}</strong></p>
${body}
</body></html>`);
}
