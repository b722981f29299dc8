// Kaspi as people see it, through the real web app: the director's billing page tells how to pay in the Kaspi
// app (kk and ru: the service, the invoice number or BIN to enter, the exact sum); the operator's Kaspi page
// shows the endpoint and the log, and a new secret saved there is the one Kaspi must send from then on.
import { operatorDb } from "../server/db/client.ts";
import { DEV_KASPI_SECRET } from "../server/secrets.ts";
import { formatTiyn } from "../domain/i18n/index.ts";
import { startKaspiStandIn } from "../dev/kaspi/index.ts";
import { suspendedSchool } from "./faults/helpers.ts";
import { addOperator } from "./factories.ts";
import { postForm, signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();
const db = () => operatorDb();

const amount = (tiyn: number) => formatTiyn(tiyn).replace(/\u00a0/g, " ");

describe("the school's billing page", () => {
  it("shows how to pay through Kaspi in kk and ru: the service, the invoice number and BIN, the exact sum", async () => {
    const s = await suspendedSchool();
    const url = `${web.base}/s/${s.slug}/billing`;
    const ru = visible(await (await fetch(url, { headers: { cookie: await signedInCookie(s.userId, "ru") } })).text());
    expect(ru).toContain("Оплата через Kaspi.kz");
    expect(ru).toContain("найдите «Avtomektep» и введите номер счёта или БИН школы");
    expect(ru).toContain(`Номер счёта ${s.invoice.number}`);
    expect(ru).toContain(`${s.bin}`);
    expect(ru).toContain(`Сумма должна совпадать с суммой счёта до тиына: ${amount(s.invoice.amountTiyn)}`);
    const kk = visible(await (await fetch(url, { headers: { cookie: await signedInCookie(s.userId, "kk") } })).text());
    expect(kk).toContain("Kaspi.kz арқылы төлеу");
    expect(kk).toContain("«Avtomektep» қызметін тауып, шот нөмірін немесе мектептің БСН-ін енгізіңіз");
    expect(kk).toContain(`Шот нөмірі ${s.invoice.number}`);
  });
});

describe("the operator's Kaspi page", () => {
  it("shows the endpoint and the log; a new secret saved there replaces the old one for Kaspi, audited without it", async () => {
    const s = await suspendedSchool();
    const endpoint = `${web.base}/pay/kaspi/avtomektep`;
    const oldKaspi = await startKaspiStandIn({ port: 0, endpoint, secret: DEV_KASPI_SECRET });
    const secret = "a-new-kaspi-secret-0123456789";
    const newKaspi = await startKaspiStandIn({ port: 0, endpoint, secret, auth: "path" });
    const saved = await db().platformSetting.findUniqueOrThrow({ where: { key: "kaspi" } });
    try {
      expect((await oldKaspi.check(s.invoice.number)).result).toBe(0);
      const op = await addOperator("super_admin");
      const cookie = await signedInCookie(op.userId, "ru");
      const page = visible(await (await fetch(`${web.base}/admin/kaspi`, { headers: { cookie } })).text());
      expect(page).toContain(endpoint);
      expect(page).toContain("Это открытый секрет для разработки");
      expect(page).toContain(s.invoice.number); // the check above, in the log
      // with whom it was for: the operator's invoices, not a school's tuition
      const line = page.slice(page.indexOf(s.invoice.number), page.indexOf("</td>", page.indexOf(s.invoice.number)));
      expect(line).toContain("avtomektep");

      const refused = await fetch(
        `${web.base}/admin/kaspi`,
        postForm(cookie, {
          enabled: "on",
          serviceName: "Avtomektep",
          allowedIps: "127.0.0.1\n::1",
          newSecret: "short",
        }),
      );
      expect(refused.status).toBe(400);
      const ok = await fetch(
        `${web.base}/admin/kaspi`,
        postForm(cookie, { enabled: "on", serviceName: "Avtomektep", allowedIps: "127.0.0.1\n::1", newSecret: secret }),
      );
      expect(ok.status).toBe(200);
      expect(visible(await ok.text())).toContain("Настройки Kaspi сохранены");

      const old = await oldKaspi.check(s.invoice.number);
      expect({ status: old.status, result: old.result }).toEqual({ status: 403, result: 5 });
      const trace = await newKaspi.pay({ account: s.invoice.number });
      expect(trace.final?.result).toBe(0);
      expect((await db().invoice.findUniqueOrThrow({ where: { id: s.invoice.id } })).status).toBe("paid");

      const audit = await db().auditLog.findFirstOrThrow({
        where: { action: "settings.changed", actorUserId: op.userId },
      });
      expect(JSON.stringify(audit.details)).not.toContain(secret);
      expect(audit.details).toMatchObject({ kaspi: { secretChanged: true, allowedIps: ["127.0.0.1", "::1"] } });
    } finally {
      await db().platformSetting.update({ where: { key: "kaspi" }, data: { value: saved.value as object } });
      await oldKaspi.close();
      await newKaspi.close();
    }
  });
});
