// What the browser's build of domain/i18n does (package.json "imports": #i18n-messages is ./messages.browser.ts
// there): it starts with no language and loads only the ones a page asks for (docs/decisions/050).
vi.mock("#i18n-messages", () => import("./messages.browser.ts"));

let i18n: typeof import("./index.ts");
beforeAll(async () => {
  i18n = await import("./index.ts");
});

/** What a render that asks for a language not loaded yet throws: the promise React waits for (Suspense). */
function suspended(run: () => unknown): unknown {
  try {
    run();
  } catch (thrown) {
    return thrown;
  }
  throw new Error("did not suspend");
}

describe("translations in the browser", () => {
  it("a page's language is there once loaded, and the other language is not loaded with it", async () => {
    await i18n.loadMessages("kk");
    expect(i18n.translator("kk")("errors:tooShort", { min: 10 })).toBe("Кемінде 10 таңба");
    expect(suspended(() => i18n.translator("ru"))).toBeInstanceOf(Promise);
  });

  it("a render that asks for the other language waits for it, then writes in it", async () => {
    const waiting = suspended(() => i18n.messagesOf("ru"));
    expect(waiting).toBeInstanceOf(Promise);
    await waiting;
    expect(i18n.translator("ru")("errors:tooShort", { min: 10 })).toBe("Не короче 10 символов");
    expect(i18n.messagesOf("ru").common.language).toBe("Язык");
  });
});
