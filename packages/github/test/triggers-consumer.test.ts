import { fileURLToPath } from "node:url";
import { createConsumerProject } from "@autoflow/core/testing";
import { describe, expect, it } from "vitest";

// The built package's verifier (core's createHmacWebhookVerifier over node:crypto) from both builds.
const project = createConsumerProject({
  "@autoflow/core": fileURLToPath(new URL("../../core", import.meta.url)),
  "@autoflow/github": fileURLToPath(new URL("..", import.meta.url)),
});

const check = `
  const body = JSON.stringify({ action: "opened" });
  const signature = "sha256=" + createHmac("sha256", "consumer-secret").update(body).digest("hex");
  const verifier = createGithubWebhookVerifier({ secrets: ["consumer-secret"] });
  const request = (sig) => ({
    headers: new Headers({ "x-hub-signature-256": sig, "x-github-delivery": "d-1", "x-github-event": "issues" }),
    body: new TextEncoder().encode(body),
  });
  const good = await verifier.verify(request(signature), Date.now());
  const bad = await Promise.resolve(verifier.verify(request("sha256=" + "0".repeat(64)), Date.now())).catch((e) => e.code);
  console.log(JSON.stringify({ kind: good.kind, action: good.delivery.action, bad }));
`;

describe("the built package's webhook verifier", () => {
  it.each([
    [
      "an ES module project",
      "esm.mjs",
      `import { createHmac } from "node:crypto"; import { createGithubWebhookVerifier } from "@autoflow/github"; ${check}`,
    ],
    [
      "a CommonJS project",
      "cjs.cjs",
      `const { createHmac } = require("node:crypto"); const { createGithubWebhookVerifier } = require("@autoflow/github"); (async () => { ${check} })();`,
    ],
  ])("verifies from %s", async (_name, file, source) => {
    expect(JSON.parse(await project.run(file, source))).toEqual({
      kind: "delivery",
      action: "opened",
      bad: "bad_signature",
    });
  });
});
