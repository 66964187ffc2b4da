import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** A fresh project with only the built package installed, as a user would have it. */
let project: string;
beforeAll(() => {
  if (!existsSync(join(packageDir, "dist/index.js")))
    throw new Error("build @autoflow/core first (turbo runs build before test)");
  project = mkdtempSync(join(tmpdir(), "autoflow-consumer-"));
  mkdirSync(join(project, "node_modules/@autoflow"), { recursive: true });
  symlinkSync(packageDir, join(project, "node_modules/@autoflow/core"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
});

const run = (file: string, source: string) => {
  writeFileSync(join(project, file), source);
  return execFileSync(process.execPath, [join(project, file)], { cwd: project, encoding: "utf8" }).trim();
};

const job = `
  const job = defineJob({ id: "smoke", run: async (_p, io) => io.runTask("t", async () => ({ at: new Date(0) })) });
  const store = new SqliteTaskStore({ path: ":memory:" });
  const result = await new JobRunner({ store }).run(job, { runId: "r" });
  console.log(JSON.stringify(result));
`;

describe("the built package", () => {
  it("works from an ES module project", () => {
    const out = run(
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

  it("works from a CommonJS project", () => {
    const out = run(
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

  it("recognises errors and signals across two copies of core (the CJS and ESM builds in one process)", () => {
    const out = run(
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
});
