/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  serverModuleFormat: "esm",
  // Server-only code (tRPC, Prisma, jobs) runs unbundled under tsx; the Remix build holds only app/.
  serverDependenciesToBundle: [],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off (ADR 049): with lazy discovery every server-rendered page matched the whole route tree again for its
    // inline partial manifest (about 2.5 ms of a page's CPU), and each navigation asked /__manifest. The full
    // manifest is a static file the browser keeps (/build/manifest-*.js, immutable).
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: true,
  },
};
