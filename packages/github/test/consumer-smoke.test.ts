import { fileURLToPath } from "node:url";
import { createConsumerProject } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const emulator = new GithubEmulator();
const project = createConsumerProject({
  "@autoflow/core": fileURLToPath(new URL("../../core", import.meta.url)),
  "@autoflow/github": fileURLToPath(new URL("..", import.meta.url)),
});
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const run = async (file: string, source: string) => JSON.parse(await project.run(file, source));

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
