import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// A Node.js without node:sqlite on this machine (Debian's system Node on the CI machine), if there is one.
function nodeWithoutSqlite(): string | undefined {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    try {
      execFileSync(candidate, ["-e", "require('node:sqlite')"], { stdio: "ignore" });
    } catch (error) {
      if ((error as { code?: string }).code !== "ENOENT") return candidate;
    }
  }
  return undefined;
}

const oldNode = nodeWithoutSqlite();

describe.skipIf(oldNode === undefined)("the autoflow bin on a Node.js without node:sqlite", () => {
  it("says which Node.js it needs, in one line, and exits 1", async () => {
    const bin = join(import.meta.dirname, "..", "bin", "autoflow.js");
    const failed = await promisify(execFile)(oldNode ?? "", [bin, "--help"]).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(
      /^autoflow needs Node\.js 22\.13 or newer \(node:sqlite\); this is Node\.js \d+\.\d+\.\d+\n$/,
    );
  });
});
