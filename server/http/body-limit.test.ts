import { bodyLimitFor, DEFAULT_BODY_LIMIT } from "./body-limit.ts";

const MB = 1024 * 1024;

describe("the body limit of a route", () => {
  it("is 1 MB for forms, sign-in, the API and anything unknown", () => {
    for (const p of [
      "/login",
      "/signup",
      "/s/demo/settings",
      "/s/demo/trainees",
      "/api/trpc/auth.login",
      "/api/trpc/trainees.create,trainees.list",
      "/no/such/page",
      "/api/trpc/%E0%A4%A",
    ]) {
      expect({ p, limit: bodyLimitFor(p) }).toEqual({ p, limit: DEFAULT_BODY_LIMIT });
    }
    expect(DEFAULT_BODY_LIMIT).toBe(1 * MB);
  });

  it("is above each upload's own file limit, for the page, its single-fetch twin and the API", () => {
    expect(bodyLimitFor("/s/demo/trainees/import")).toBe(11 * MB); // one XLSX ≤ 10 MB
    expect(bodyLimitFor("/s/demo/trainees/import.data")).toBe(11 * MB);
    expect(bodyLimitFor("/s/demo/support")).toBe(16 * MB); // 3 files ≤ 5 MB
    expect(bodyLimitFor("/s/demo/support.data")).toBe(16 * MB);
    expect(bodyLimitFor("/s/demo/questions")).toBe(2 * MB); // a picture ≤ 1 MB
    expect(bodyLimitFor("/s/demo/trainees/0b6e0d4c-0a51-4b7c-9a76-2b9c0e0f4a11")).toBe(2 * MB); // the photo
    expect(bodyLimitFor("/admin/statements")).toBe(11 * MB);
    expect(bodyLimitFor("/api/trpc/traineeImport.upload")).toBeGreaterThan((10 * MB * 4) / 3);
    expect(bodyLimitFor("/api/trpc/support.create")).toBeGreaterThan(3 * 7_000_000);
    // a batch gets the largest of its procedures'
    expect(bodyLimitFor("/api/trpc/trainees.list,traineeImport.upload")).toBe(
      bodyLimitFor("/api/trpc/traineeImport.upload"),
    );
  });

  it("keeps Stripe's webhook at 1 MB", () => {
    expect(bodyLimitFor("/webhooks/stripe")).toBe(1 * MB);
  });

  it("keeps Kaspi's check/pay, a handful of short fields, at 16 KB (secret in the path or not)", () => {
    expect(bodyLimitFor("/pay/kaspi/avtomektep")).toBe(16 * 1024);
    expect(bodyLimitFor("/pay/kaspi/avtomektep/some-secret")).toBe(16 * 1024);
  });
});
