import { fileURLToPath } from "node:url";
import { importLoads } from "@autoflow/core/testing";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

// `jira.js/cloud`'s entry re-exports every model module of the platform API (about 1,000 files, ~170 ms): the built
// package takes `createCloudClient` from the package root, which loads only the modules the client uses, as a
// user's own `import { createCloudClient } from "jira.js"` does.
describe("importing @autoflow/jira", () => {
  it("loads jira.js as its root entry does, not the `cloud` entry's every model", async () => {
    const { onImport, result } = await importLoads({
      name: "@autoflow/jira",
      packageDir,
      afterImport: "return typeof imported.Jira;",
    });
    const jira = onImport.filter((url) => url.includes("/jira.js/dist/"));
    expect({
      integration: result,
      cloudEntry: jira.some((url) => url.endsWith("/dist/cloud/index.js")),
      modelsEntry: jira.some((url) => url.endsWith("/dist/cloud/models/index.js")),
      client: jira.some((url) => url.endsWith("/dist/cloud/createCloudClient.js")),
    }).toEqual({ integration: "function", cloudEntry: false, modelsEntry: false, client: true });
  });
});
