import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { killLeftovers, spawnCli } from "./cli-process";

const run = promisify(execFile);
const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));
// Packed as a user would get them from the registry: the command's package and the workspace package it depends on.
const PACKED = ["core", "emulators"];

// A user's shell: without the `npm_*` settings pnpm hands its scripts, and with this Node first on PATH so the
// bin's `#!/usr/bin/env node` and npm itself do not find an older one on the machine.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))),
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
};

afterEach(killLeftovers);

describe("autoflow-emulators from a packed tarball installed outside the monorepo", () => {
  let project: string;

  beforeAll(async () => {
    for (const name of PACKED) {
      if (!existsSync(join(PACKAGES, name, "dist")))
        throw new Error(`build @autoflow/${name} first (turbo builds before test)`);
    }
    const root = mkdtempSync(join(tmpdir(), "autoflow-emulators-tarball-"));
    const tarballs = join(root, "tarballs");
    // The pnpm running these tests (`pnpm test` names it in npm_execpath), not a nested `npx pnpm`: under CI that
    // waited forever on npx's cache lock. `pnpm exec vitest` names none: then npx it is.
    const execpath = process.env.npm_execpath;
    const [command, prefix] = execpath?.includes("pnpm")
      ? [process.execPath, [execpath]]
      : ["npx", ["-y", "pnpm@10"]];
    for (const name of PACKED) {
      // pnpm pack turns `workspace:*` into the version, as publishing does.
      await run(command, [...prefix, "pack", "--pack-destination", tarballs], {
        cwd: join(PACKAGES, name),
        env,
      });
    }
    project = join(root, "app");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true }));
    const files = readdirSync(tarballs).map((file) => join(tarballs, file));
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...files], {
      cwd: project,
      env,
    });
  }, 180_000);

  it("answers --help from the bin npm installed", async () => {
    const { stdout } = await run(join(project, "node_modules", ".bin", "autoflow-emulators"), ["--help"], {
      cwd: project,
      env,
    });
    expect(stdout).toContain("Usage: autoflow-emulators [options]");
  });

  it("runs an emulator that answers with the printed token, and stops on SIGINT with exit 0", async () => {
    const cli = spawnCli(
      join(project, "node_modules", ".bin", "autoflow-emulators"),
      ["--providers", "slack"],
      {
        cwd: project,
        env,
      },
    );
    const output = await cli.waitFor("Ctrl-C stops the emulators");
    const apiUrl = /^export AUTOFLOW_SLACK_API_URL=(\S+)$/m.exec(output)?.[1] ?? "";
    const token = /^ {2}Token:\s+(\S+)$/m.exec(output)?.[1] ?? "";

    const answer = await fetch(`${apiUrl}auth.test`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await answer.json()).toMatchObject({ ok: true, team_id: "T01ACME000" });

    cli.child.kill("SIGINT");
    expect(await cli.exited).toMatchObject({ code: 0, signal: null });
  });
});
