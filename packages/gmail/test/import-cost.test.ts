import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createConsumerProject } from "@autoflow/core/testing";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const coreDir = dirname(
  createRequire(join(packageDir, "package.json")).resolve("@autoflow/core/package.json"),
);

// nodemailer's composer loads DNS, file streams and more when imported: the built package loads it on the first
// composed message, not when a user imports it (with the other providers) into a worker that may never send one.
describe("importing @autoflow/gmail", () => {
  it("does not load nodemailer until the first message is composed", async () => {
    const project = createConsumerProject({ "@autoflow/core": coreDir, "@autoflow/gmail": packageDir });
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
       const nodemailer = () => loaded.some((url) => url.includes("/nodemailer/"));
       const { composeEmail } = await import("@autoflow/gmail");
       const before = nodemailer();
       const { raw } = await composeEmail({ to: "ada@example.com", subject: "Hi", text: "x" }, { idempotencyKey: "k" });
       console.log(JSON.stringify([before, nodemailer(), Buffer.from(raw, "base64url").toString().includes("Subject: Hi")]));`,
    );
    expect(JSON.parse(out)).toEqual([false, true, true]);
  });
});
