import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createConsumerProject } from "../src/testing/consumer-project";

const coreDir = fileURLToPath(new URL("..", import.meta.url));

// `node:crypto` is the largest builtin core uses that a provider's SDK may not load itself (about 3.5 ms of a cold
// start): the built package loads it on the first hash, not when a user imports it.
describe("importing @autoflow/core", () => {
  it.each(["mjs", "cjs"])("does not load node:crypto until something hashes (%s)", async (kind) => {
    const project = createConsumerProject({ "@autoflow/core": coreDir });
    const load =
      kind === "mjs"
        ? `const core = await import("@autoflow/core");`
        : `const core = require("@autoflow/core");`;
    const source = `${kind === "mjs" ? "" : "(async () => {"}
      const crypto = () => process.moduleLoadList.includes("NativeModule crypto");
      const before = crypto();
      ${load}
      const onImport = crypto();
      const runId = core.runIdForDelivery("acme", "delivery-1", "job-1");
      console.log(JSON.stringify({ before, onImport, afterHash: crypto(), runId: runId.length }));
      ${kind === "mjs" ? "" : "})();"}`;
    const seen = JSON.parse(await project.run(`loads.${kind}`, source));
    expect(seen).toEqual({ before: false, onImport: false, afterHash: true, runId: 43 });
  });

  it("loads it with require on a Node without process.getBuiltinModule (before 22.3)", async () => {
    const project = createConsumerProject({ "@autoflow/core": coreDir });
    const source = `Object.defineProperty(process, "getBuiltinModule", { value: undefined });
      const core = await import("@autoflow/core");
      console.log(JSON.stringify(core.runIdForDelivery("acme", "delivery-1", "job-1")));`;
    const expected = JSON.parse(
      await project.run(
        "expected.mjs",
        `console.log(JSON.stringify((await import("@autoflow/core")).runIdForDelivery("acme", "delivery-1", "job-1")));`,
      ),
    );
    expect(JSON.parse(await project.run("old-node.mjs", source))).toBe(expected);
  });
});
