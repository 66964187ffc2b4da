import { fileURLToPath } from "node:url";
import { createConsumerProject } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const emulator = new SlackEmulator();
const project = createConsumerProject({
  "@autoflow/core": fileURLToPath(new URL("../../core", import.meta.url)),
  "@autoflow/slack": fileURLToPath(new URL("..", import.meta.url)),
});
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const job = (token: string) => `
  const slack = new Slack({ id: "slack", token: ${JSON.stringify(token)}, slackApiUrl: ${JSON.stringify(emulator.apiUrl)} });
  const job = defineJob({
    id: "smoke",
    integrations: { slack },
    run: async (_p, io) => {
      const posted = await io.slack.chat.postMessage("post", { channel: "C0001", text: "from a consumer" });
      const link = await io.slack.chat.getPermalink("link", { channel: "C0001", message_ts: posted.ts });
      return { text: posted.message.text, linked: link.permalink.includes("C0001") };
    },
  });
  console.log(JSON.stringify(await new JobRunner().run(job, { runId: "r" })));
`;

describe("the built package", () => {
  it.each([
    [
      "an ES module project",
      "esm.mjs",
      (token: string) => `import { defineJob, JobRunner } from "@autoflow/core";
       import { Slack } from "@autoflow/slack";
       ${job(token)}`,
    ],
    [
      "a CommonJS project",
      "cjs.cjs",
      (token: string) => `const { defineJob, JobRunner } = require("@autoflow/core");
       const { Slack } = require("@autoflow/slack");
       (async () => { ${job(token)} })();`,
    ],
  ])("runs a job from %s", async (_kind, file, source) => {
    const out = JSON.parse(await project.run(file, source(emulator.mintToken())));
    expect(out).toEqual({
      runId: "r",
      status: "completed",
      output: { text: "from a consumer", linked: true },
    });
    expect(emulator.history("C0001").filter((m) => m.text === "from a consumer").length).toBeGreaterThan(0);
  });
});
