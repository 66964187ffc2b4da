import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const coreDir = fileURLToPath(new URL("../../core", import.meta.url));
const emulator = new GithubEmulator();

/** A fresh project with only the built packages installed, as a user would have them. */
let project: string;
beforeAll(async () => {
  if (!existsSync(join(packageDir, "dist/index.cjs")))
    throw new Error("build @autoflow/github first (turbo runs build before test)");
  project = mkdtempSync(join(tmpdir(), "autoflow-github-consumer-"));
  mkdirSync(join(project, "node_modules/@autoflow"), { recursive: true });
  symlinkSync(packageDir, join(project, "node_modules/@autoflow/github"), "dir");
  symlinkSync(coreDir, join(project, "node_modules/@autoflow/core"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  await emulator.start();
});
afterAll(() => emulator.stop());

// Async, so the emulator in this process keeps answering while the consumer runs.
const run = async (file: string, source: string) => {
  writeFileSync(join(project, file), source);
  const { stdout } = await promisify(execFile)(process.execPath, [join(project, file)], { cwd: project });
  return JSON.parse(stdout.trim());
};

const job = (token: string) => `
  const github = new Github({ id: "github", token: ${JSON.stringify(token)}, baseUrl: ${JSON.stringify(emulator.url)} });
  const job = defineJob({
    id: "smoke",
    integrations: { github },
    run: async (_p, io) => {
      const issue = await io.github.issues.create("create", { owner: "octo-org", repo: "hello", title: "From a consumer" });
      const workflows = await io.github.actions.listRepoWorkflows("workflows", { owner: "octo-org", repo: "hello" });
      return { title: issue.title, workflows: workflows.total_count };
    },
  });
  const result = await new JobRunner().run(job, { runId: "r" });
  console.log(JSON.stringify(result));
`;

describe("the built package (octokit is ESM-only: the CommonJS build relies on require(esm), Node >= 22.12)", () => {
  it("runs a job from an ES module project", async () => {
    const out = await run(
      "esm.mjs",
      `import { defineJob, JobRunner } from "@autoflow/core";
       import { Github } from "@autoflow/github";
       ${job(emulator.mintToken())}`,
    );
    expect(out).toEqual({
      runId: "r",
      status: "completed",
      output: { title: "From a consumer", workflows: 1 },
    });
  });

  it("runs a job from a CommonJS project", async () => {
    const out = await run(
      "cjs.cjs",
      `const { defineJob, JobRunner } = require("@autoflow/core");
       const { Github } = require("@autoflow/github");
       (async () => { ${job(emulator.mintToken())} })();`,
    );
    expect(out).toEqual({
      runId: "r",
      status: "completed",
      output: { title: "From a consumer", workflows: 1 },
    });
  });
});
