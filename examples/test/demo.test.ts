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
  it("starts from a verified webhook, survives the crash and the rate limit, and repeats no side effect", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", demo], { cwd, env, timeout: 60_000 });
    expect(stdout).toMatch(
      /GitHub delivered issues\.opened \([0-9a-f-]{36}\) -> 200, written to the SQLite inbox/,
    );
    expect(stdout).toContain('crashes right after "announce" (exit 137)');
    expect(stdout).toMatch(/↺ \[slack\] Post Message \(announce\)\s+replayed/);
    expect(stdout).toMatch(/⟳ \[slack\] chat\.getPermalink .*rate-limit/);
    expect(stdout).toContain("run completed");
    expect(stdout).toContain("answers: 200, 200, started runs: 0");
    expect(stdout).toContain("1 Slack message, 1 comment on the issue");
    // The stored workflow, started by the second issue's webhook, through the connection service.
    expect(stdout).toMatch(/POST \/api\/workflows -> wf_/);
    expect(stdout).toMatch(/GET \/api\/runs\/wh_[0-9a-f]+ -> completed/);
    expect(stdout).toMatch(/announce\s+slack\.sendMessage\s+completed/);
    expect(stdout).toMatch(/link\s+github\.createComment\s+completed/);
    expect(stdout).toContain("1 Slack message, 1 comment on the second issue");
  }, 60_000);

  it("lists its options with --help", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", demo, "--help"], { cwd, env });
    expect(stdout).toContain("--no-crash");
    expect(stdout).toContain("--no-workflow");
    expect(stdout).toContain("webhook");
    expect(stdout).toContain("GITHUB_TOKEN");
  });
});
