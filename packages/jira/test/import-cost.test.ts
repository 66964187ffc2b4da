import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createConsumerProject } from "@autoflow/core/testing";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const coreDir = dirname(
  createRequire(join(packageDir, "package.json")).resolve("@autoflow/core/package.json"),
);

// `jira.js/cloud`'s entry re-exports every model module of the platform API (about 1,000 files, ~170 ms): the built
// package takes `createCloudClient` from the package root, which loads only the modules the client uses, as a
// user's own `import { createCloudClient } from "jira.js"` does.
describe("importing @autoflow/jira", () => {
  it("loads jira.js as its root entry does, not the `cloud` entry's every model", async () => {
    const project = createConsumerProject({ "@autoflow/core": coreDir, "@autoflow/jira": packageDir });
    const out = await project.run(
      "import-cost.mjs",
      `import { registerHooks } from "node:module";
       const loaded = [];
       registerHooks({
         load(url, context, nextLoad) {
           loaded.push(url);
           return nextLoad(url, context);
         },
       });
       const { Jira } = await import("@autoflow/jira");
       const jira = loaded.filter((url) => url.includes("/jira.js/dist/"));
       console.log(JSON.stringify({
         integration: typeof Jira,
         cloudEntry: jira.some((url) => url.endsWith("/dist/cloud/index.js")),
         modelsEntry: jira.some((url) => url.endsWith("/dist/cloud/models/index.js")),
         client: jira.some((url) => url.endsWith("/dist/cloud/createCloudClient.js")),
       }));`,
    );
    expect(JSON.parse(out)).toEqual({
      integration: "function",
      cloudEntry: false,
      modelsEntry: false,
      client: true,
    });
  });
});
