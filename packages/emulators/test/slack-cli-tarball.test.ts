import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createPackedProject } from "@autoflow/core/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { killLeftovers, spawnCli } from "./cli-process";

const run = promisify(execFile);
const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));
// Packed as a user would get them from the registry: the command's package (and the workspace package it depends on).
const PACKED = ["emulators"];

afterEach(killLeftovers);

// CI runs the packed-tarball tests after the rest of the suite, on their own (AUTOFLOW_PACKED_TESTS=later during
// `pnpm test`, then this file alone): packing and installing the closure is slow on two cores shared with every
// other package's tests and the browser tests, and passed its margin there.
const runNow = process.env.AUTOFLOW_PACKED_TESTS !== "later";
describe.runIf(runNow)("autoflow-emulators from a packed tarball installed outside the monorepo", () => {
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ({ dir: project, env } = await createPackedProject(PACKAGES, PACKED));
    // A margin, not a measure: packing and installing takes about 40 s alone, and passed 180 s in CI while the
    // server's browser tests shared the two cores.
  }, 540_000);

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
