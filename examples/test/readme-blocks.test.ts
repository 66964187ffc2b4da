import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script with no declarations
import { runReadmeBlocks } from "../../scripts/readme-blocks.mjs";

// Every TypeScript and shell block of the READMEs runs against the emulators (a job fragment inside a job), unless a
// `<!-- readme-blocks: skip — reason -->` line right above it says why it cannot (scripts/readme-blocks.mjs).
describe("the READMEs' code blocks", () => {
  it("type-check and run, or say why they are skipped", { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const failures: string[] = await runReadmeBlocks({ log: (line: string) => lines.push(line) });
    expect(failures.join("\n\n"), lines.join("\n")).toBe("");
  });
});
