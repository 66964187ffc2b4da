import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createPackedProject } from "@autoflow/core/testing";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));
// Packed as a user would get them from the registry: the command's package and the workspace packages it needs.
const PACKED = ["core", "actions", "slack", "github", "providers", "server"];

describe("autoflow from a packed tarball installed outside the monorepo", () => {
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ({ dir: project, env } = await createPackedProject(PACKAGES, PACKED));
  }, 240_000);

  it("answers npx autoflow --help", async () => {
    const { stdout } = await run("npx", ["--no-install", "autoflow", "--help"], { cwd: project, env });
    expect(stdout).toContain("Usage: autoflow <command> [options]");
  });

  it("prints a token with autoflow token, and ships the LICENSE", async () => {
    const { stdout } = await run(
      join(project, "node_modules", ".bin", "autoflow"),
      ["token", "--user", "someone"],
      { cwd: project, env },
    );
    const claims = JSON.parse(Buffer.from(stdout.trim().split(".")[1] ?? "", "base64url").toString());
    expect(claims.sub).toBe("someone");
    expect(existsSync(join(project, ".autoflow", "jwt.secret"))).toBe(true);
    for (const name of PACKED) {
      expect(existsSync(join(project, "node_modules", "@autoflow", name, "LICENSE"))).toBe(true);
    }
  });
});
