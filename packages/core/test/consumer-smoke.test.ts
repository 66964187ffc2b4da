import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createConsumerProject } from "../src/testing/consumer-project";

const coreDir = fileURLToPath(new URL("..", import.meta.url));
const project = createConsumerProject({ "@autoflow/core": coreDir });
const run = (file: string, source: string) => project.run(file, source);

const job = `
  const job = defineJob({ id: "smoke", run: async (_p, io) => io.runTask("t", async () => ({ at: new Date(0) })) });
  const store = new SqliteTaskStore({ path: ":memory:" });
  const result = await new JobRunner({ store }).run(job, { runId: "r" });
  console.log(JSON.stringify(result));
`;

describe("the built package", () => {
  it("works from an ES module project", async () => {
    const out = await run(
      "esm.mjs",
      `import { defineJob, JobRunner } from "@autoflow/core";
       import { SqliteTaskStore } from "@autoflow/core/sqlite";
       ${job}`,
    );
    expect(JSON.parse(out)).toEqual({
      runId: "r",
      status: "completed",
      output: { at: "1970-01-01T00:00:00.000Z" },
    });
  });

  it("works from a CommonJS project", async () => {
    const out = await run(
      "cjs.cjs",
      `const { defineJob, JobRunner } = require("@autoflow/core");
       const { SqliteTaskStore } = require("@autoflow/core/sqlite");
       (async () => { ${job} })();`,
    );
    expect(JSON.parse(out)).toEqual({
      runId: "r",
      status: "completed",
      output: { at: "1970-01-01T00:00:00.000Z" },
    });
  });

  it("recognises errors and signals across two copies of core (the CJS and ESM builds in one process)", async () => {
    const out = await run(
      "dual.mjs",
      `import { createRequire } from "node:module";
       import * as esm from "@autoflow/core";
       const cjs = createRequire(import.meta.url)("@autoflow/core");
       const error = new cjs.IntegrationError({ type: "auth", provider: "x", message: "m" });
       const signal = new cjs.RunSuspendedSignal(new Date(0), "r");
       console.log(JSON.stringify([
         esm.IntegrationError === cjs.IntegrationError,
         error instanceof esm.IntegrationError,
         esm.IntegrationError.isInstance(error),
         esm.isControlFlowSignal(signal),
         esm.IntegrationError.isInstance(new Error("plain")),
       ]));`,
    );
    expect(JSON.parse(out)).toEqual([false, false, true, true, false]);
  });

  // Without code splitting, the CommonJS build of each entry bundled its own copy of the runtime: an error made by
  // `@autoflow/core/testing`'s runner was not an instance of `@autoflow/core`'s class, and module state (client
  // caches, rate-limit buckets) was kept twice.
  it("defines each class once across its CommonJS entries", () => {
    const dist = join(coreDir, "dist");
    const definedIn = new Map<string, string[]>();
    for (const file of readdirSync(dist).filter((name) => name.endsWith(".cjs"))) {
      const source = readFileSync(join(dist, file), "utf8");
      // `var X = class`, `var X = (_class = class` (a class with static fields) or `class X`.
      for (const match of source.matchAll(/^(?:var (\w+) = (?:\(_class\d* = )?class\b|class (\w+))/gm)) {
        const name = match[1] ?? match[2] ?? "";
        definedIn.set(name, [...(definedIn.get(name) ?? []), file]);
      }
    }
    expect(definedIn.get("JobRunner")).toHaveLength(1);
    expect(definedIn.get("IntegrationError")).toHaveLength(1);
    expect([...definedIn].filter(([, files]) => files.length > 1)).toEqual([]);
  });

  // Importing core stays cheap: `node:http` (for its status phrases) alone made the import several times slower.
  it("loads no HTTP stack when imported; the first failure described loads the status phrases", async () => {
    const out = await run(
      "import-cost.mjs",
      `import { describeTaskFailure, IntegrationError } from "@autoflow/core";
       const http = () => process.moduleLoadList.includes("NativeModule http");
       const before = http();
       const error = new IntegrationError({ type: "schema", provider: "acme", status: 404, message: "Not Found" });
       const described = describeTaskFailure(error, { method: "widgets.get", taskKey: '"w"', properties: [] });
       console.log(JSON.stringify([before, http(), described.message]));`,
    );
    const [before, after, message] = JSON.parse(out) as [boolean, boolean, string];
    expect(before).toBe(false);
    expect(after).toBe(true);
    expect(message).toMatch(/\(schema, 404 Not Found\)/);
  });
});
