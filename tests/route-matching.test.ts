// server/patches/@remix-run+router+1.23.3.patch (ADR 053): the router keeps a route tree's ranked branches and compiled
// patterns. Matching must still follow the tree as it is: a route patched in later (lazy route discovery)
// matches at once, and the same tree answers each URL with its own route and params.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The CommonJS build, which Remix's server runtime and React Router load on the server (and the patch changes);
// an import here would get the ES module build the browser bundle uses.
const { createMemoryHistory, createRouter, matchPath, matchRoutes } = createRequire(import.meta.url)(
  "@remix-run/router",
) as typeof import("@remix-run/router");

const ids = (m: ReturnType<typeof matchRoutes>) => m?.map((x) => x.route.id) ?? null;

describe("route matching with the router's kept branches", () => {
  it("answers each URL of one tree with its own route and params, whatever was matched before", () => {
    const routes = [
      {
        id: "root",
        path: "",
        children: [
          { id: "week", path: "s/:school/lessons" },
          { id: "correct", path: "s/:school/lessons/:id/correct" },
          { id: "missing", path: "*" },
        ],
      },
    ];
    for (let round = 0; round < 2; round++) {
      expect(ids(matchRoutes(routes, "/s/avto/lessons"))).toEqual(["root", "week"]);
      const correct = matchRoutes(routes, "/s/avto/lessons/7/correct");
      expect(ids(correct)).toEqual(["root", "correct"]);
      expect(correct?.at(-1)?.params).toEqual({ school: "avto", id: "7" });
      expect(ids(matchRoutes(routes, "/s/avto/lesson"))).toEqual(["root", "missing"]);
    }
    expect(matchPath("/s/:school", "/s/one")?.params).toEqual({ school: "one" });
    expect(matchPath("/s/:school", "/s/two")?.params).toEqual({ school: "two" });
    expect(matchPath({ path: "/s/:school", end: false }, "/s/two/lessons")?.pathname).toBe("/s/two");
  });

  it("matches a route patched into the tree after the tree was matched", () => {
    const router = createRouter({
      routes: [{ id: "root", path: "/", children: [{ id: "home", index: true }] }],
      history: createMemoryHistory(),
    });
    // The tree the router goes on matching while it discovers routes: the same array, its routes given children.
    const tree = router.routes;
    expect(ids(matchRoutes(tree, "/help"))).toBeNull();
    router.patchRoutes("root", [{ id: "help", path: "help" }]);
    expect(ids(matchRoutes(tree, "/help"))).toEqual(["root", "help"]);
    expect(ids(matchRoutes(router.routes, "/help"))).toEqual(["root", "help"]);
    router.dispose();
  });
});
