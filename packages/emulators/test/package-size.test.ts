import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { SPEC_SOURCES } from "../scripts/specs-sources.mjs";

const run = promisify(execFile);
const PACKAGE = fileURLToPath(new URL("..", import.meta.url));
const MB = 1024 * 1024;

/** Bytes of every file under `dir`. */
function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

describe("size budget", () => {
  it.each(Object.keys(SPEC_SOURCES))("everything committed in specs/%s/ is under 6 MB", (provider) => {
    expect(sizeOf(join(PACKAGE, "specs", provider)) / MB).toBeLessThan(6);
  });

  it("the packed @autoflow/emulators tarball is under 20 MB", async () => {
    if (!existsSync(join(PACKAGE, "dist")))
      throw new Error("build @autoflow/emulators first (turbo builds before test)");
    const destination = mkdtempSync(join(tmpdir(), "autoflow-emulators-size-"));
    // The pnpm running these tests (`pnpm test` names it in npm_execpath), not a nested `npx pnpm` (npx's lock).
    const execpath = process.env.npm_execpath;
    const [command, prefix] = execpath?.includes("pnpm")
      ? [process.execPath, [execpath]]
      : ["npx", ["-y", "pnpm@10"]];
    await run(command, [...prefix, "pack", "--pack-destination", destination], { cwd: PACKAGE });
    const [tarball = ""] = readdirSync(destination);
    expect(statSync(join(destination, tarball)).size / MB).toBeLessThan(20);
  }, 120_000);
});
