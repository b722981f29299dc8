// Node flags of the web process, shared by `npm start` (server/cli/start.ts), `npm run web` (package.json
// repeats them: keep the two equal) and the HTTP and export benches. V8 otherwise lets the heap grow with
// the machine's memory before it collects: at 50 clients the web process peaked at ~600 MB RSS uncapped.
// 144 MB kept it near 300 MB but a year's lessons journal export then ran out of heap; 256 MB is the cap
// at which every export in tests/bench/exports.ts completes (docs/decisions/017).
export const WEB_NODE_FLAGS = ["--max-old-space-size=256"];
