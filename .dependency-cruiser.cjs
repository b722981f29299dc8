// The layers (docs/decisions/027-codebase-layout.md), checked by `npm run lint` in `npm test`:
//
//   app/ ──types of server/api.ts only──▶ server/ ◀── jobs/
//     │                                     │          │
//     └──────────────▶ domain/ ◀────────────┴──────────┘
//
// domain/ imports nothing of ours; app/ never imports server/ or jobs/ at run time; server/ never imports
// app/ or jobs/; dev/ (the local Stripe, mail sink, SMS gateway) is reached only by the dev start script
// and the two dev-only pages. Tests may reach across (they drive the real parts).
const TEST = "\\.test\\.tsx?$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-is-the-bottom",
      comment: "domain/ holds rules and vocabulary shared by every layer; it imports none of them",
      severity: "error",
      from: { path: "^domain/" },
      to: { path: "^(app|server|jobs|dev|tests|prisma)/" },
    },
    {
      name: "app-does-not-run-server-code",
      comment:
        "the web app reaches the server through the tRPC caller in its load context; rules it shares live in domain/",
      severity: "error",
      from: { path: "^app/", pathNot: TEST },
      to: { path: "^(server|jobs)/", pathNot: "^server/api\\.ts$" },
    },
    {
      name: "app-takes-only-types-from-the-api",
      comment: "server/api.ts is the API's types; importing a value from it would bundle the server into the app",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^server/api\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "server-does-not-import-app-or-jobs",
      comment: "jobs/ consumes queues the server produces (server/queues.ts); the app sits on top of the server",
      severity: "error",
      from: { path: "^server/", pathNot: TEST },
      to: { path: "^(app|jobs)/" },
    },
    {
      name: "jobs-do-not-import-app",
      severity: "error",
      from: { path: "^jobs/", pathNot: TEST },
      to: { path: "^app/" },
    },
    {
      name: "product-does-not-load-dev-stand-ins",
      comment:
        "the stand-ins are started by `npm start` (server/cli/start.ts) and read by the dev-only pages, never by production code",
      severity: "error",
      from: {
        path: "^(app|server|jobs|domain)/",
        pathNot: [TEST, "^server/cli/start\\.ts$", "^app/routes/dev\\.[a-z]+\\.tsx$"],
      },
      to: { path: "^dev/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(server/db/generated|build|public/build)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".js", ".mjs"],
    },
  },
};
