/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  // Server-only code (tRPC, Prisma, jobs) runs unbundled under tsx; the Remix build holds only app/.
  // Our own subpath imports (package.json "imports", e.g. #i18n-messages) are our code, not packages: bundled,
  // in their server form (docs/decisions/048).
  serverDependenciesToBundle: [/^#/],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
