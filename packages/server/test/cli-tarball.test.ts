import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));
// Packed as a user would get them from the registry: the command's package and the workspace packages it needs.
const PACKED = ["core", "actions", "slack", "github", "providers", "server"];

// A user's shell: without the `npm_*` settings pnpm hands its scripts, and with this Node first on PATH so the
// bin's `#!/usr/bin/env node` and npm itself do not find an older one on the machine.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))),
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
};

describe("autoflow from a packed tarball installed outside the monorepo", () => {
  let project: string;

  beforeAll(async () => {
    for (const name of PACKED) {
      if (!existsSync(join(PACKAGES, name, "dist")))
        throw new Error(`build @autoflow/${name} first (turbo builds before test)`);
    }
    const root = mkdtempSync(join(tmpdir(), "autoflow-server-tarball-"));
    const tarballs = join(root, "tarballs");
    // The pnpm running these tests (`pnpm test` names it in npm_execpath), not a nested `npx pnpm`: under CI that
    // waited forever on npx's cache lock. `pnpm exec vitest` names none: then npx it is.
    const execpath = process.env.npm_execpath;
    const [command, prefix] = execpath?.includes("pnpm")
      ? [process.execPath, [execpath]]
      : ["npx", ["-y", "pnpm@10"]];
    // pnpm pack turns `workspace:*` into the version, as publishing does.
    await Promise.all(
      PACKED.map((name) =>
        run(command, [...prefix, "pack", "--pack-destination", tarballs], { cwd: join(PACKAGES, name), env }),
      ),
    );
    project = join(root, "app");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true }));
    const files = readdirSync(tarballs).map((file) => join(tarballs, file));
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...files], {
      cwd: project,
      env,
    });
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
