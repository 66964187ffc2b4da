import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const demo = fileURLToPath(new URL("../src/demo.ts", import.meta.url));
const cwd = fileURLToPath(new URL("..", import.meta.url));
// No real tokens: the demo must pick the emulators.
const env = { ...process.env, GITHUB_TOKEN: "", SLACK_TOKEN: "", FORCE_COLOR: "0", NO_COLOR: "1" };

describe("pnpm demo", () => {
  it("survives the injected crash and rate limit, resumes from the log and repeats no side effect", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", demo], { cwd, env, timeout: 60_000 });
    expect(stdout).toContain('crashes right after "announce" (exit 137)');
    expect(stdout).toMatch(/↺ \[github\] Create Issue \(open-issue\)\s+replayed/);
    expect(stdout).toMatch(/↺ \[slack\] Post Message \(announce\)\s+replayed/);
    expect(stdout).toMatch(/⟳ \[slack\] chat\.getPermalink .*rate-limit/);
    expect(stdout).toContain("run completed");
    expect(stdout).toContain("1 issue opened, 1 Slack message posted");
  }, 60_000);

  it("lists its options with --help", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", demo, "--help"], { cwd, env });
    expect(stdout).toContain("--no-crash");
    expect(stdout).toContain("GITHUB_TOKEN");
  });
});
