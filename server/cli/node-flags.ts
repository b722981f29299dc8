// Node flags of the web process, shared by `npm start` (server/cli/start.ts), `npm run web` (package.json
// repeats them: keep the two equal) and the HTTP bench. V8 otherwise lets the heap grow with the
// machine's memory before it collects: measured at 50 clients, the web process peaked at ~600 MB RSS
// uncapped and at ~300 MB with a 144 MB old space, at the same throughput (docs/decisions/017).
export const WEB_NODE_FLAGS = ["--max-old-space-size=144"];
