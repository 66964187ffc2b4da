import { fileURLToPath } from "node:url";
import { importLoads } from "@autoflow/core/testing";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

// nodemailer's composer loads DNS, file streams and more when imported: the built package loads it on the first
// composed message, not when a user imports it (with the other providers) into a worker that may never send one.
describe("importing @autoflow/gmail", () => {
  it("does not load nodemailer until the first message is composed", async () => {
    const { onImport, atEnd, result } = await importLoads({
      name: "@autoflow/gmail",
      packageDir,
      afterImport: `const { raw } = await imported.composeEmail({ to: "ada@example.com", subject: "Hi", text: "x" }, { idempotencyKey: "k" });
             return Buffer.from(raw, "base64url").toString().includes("Subject: Hi");`,
    });
    const nodemailer = (urls: string[]) => urls.some((url) => url.includes("/nodemailer/"));
    expect([nodemailer(onImport), nodemailer(atEnd), result]).toEqual([false, true, true]);
  });
});
