import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Octokit } from "octokit";
import { afterEach, describe, expect, it } from "vitest";
import { type CliProcess, killLeftovers, spawnCli } from "./cli-process";

// The command runs from its TypeScript source through tsx, so the test needs no build; the packed-tarball
// test (`cli-tarball.test.ts`) runs the built bin.
const CLI = fileURLToPath(new URL("../src/cli/autoflow-emulators.ts", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

afterEach(killLeftovers);

function runCli(args: string[]): CliProcess {
  return spawnCli(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: PACKAGE_DIR });
}

/** The `export NAME=value` lines of the output, as a map. */
function exportsOf(output: string): Record<string, string> {
  return Object.fromEntries(
    [...output.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map(([, name = "", value = ""]) => [name, value]),
  );
}

/** The value printed after `label` in the `<provider> emulator` block. */
function field(output: string, provider: string, label: string): string {
  const block = output.split(`${provider} emulator\n`)[1] ?? "";
  const match = new RegExp(`^  ${label}:\\s+(\\S+)`, "m").exec(block);
  if (!match?.[1]) throw new Error(`no "${label}" for ${provider} in:\n${output}`);
  return match[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (error) {
    return ((error as { cause?: { code?: string } }).cause?.code ?? "") === "ECONNREFUSED";
  }
}

async function slackCall(apiUrl: string, method: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${apiUrl}${method}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

describe("autoflow-emulators", () => {
  it("runs both emulators with seed data, prints working URLs, tokens and exports, and stops on SIGINT with exit 0", async () => {
    // In a folder that does not exist yet, as `.autoflow/` before the first `pnpm serve`.
    const envOut = join(mkdtempSync(join(tmpdir(), "autoflow-emulators-")), "state", "emulators.env");
    const cli = runCli(["--seed", "slack=deploys", "--seed", "github=acme/widgets", "--env-out", envOut]);
    const output = await cli.waitFor("Ctrl-C stops the emulators");

    const slackApi = field(output, "slack", "API URL");
    const slackToken = field(output, "slack", "Token");
    const githubApi = field(output, "github", "API URL");
    const githubToken = field(output, "github", "Token");

    const auth = await slackCall(slackApi, "auth.test", slackToken);
    expect(auth).toMatchObject({ ok: true, team_id: "T01ACME000" });
    const channels = (await slackCall(slackApi, "conversations.list", slackToken)).channels as {
      name: string;
    }[];
    expect(channels.map((c) => c.name)).toContain("deploys");

    const octokit = new Octokit({ auth: githubToken, baseUrl: githubApi });
    expect((await octokit.rest.users.getAuthenticated()).data.login).toBe("octocat");
    expect((await octokit.rest.repos.get({ owner: "acme", repo: "widgets" })).data.full_name).toBe(
      "acme/widgets",
    );

    const env = exportsOf(output);
    expect(env).toMatchObject({
      AUTOFLOW_SLACK_API_URL: slackApi,
      AUTOFLOW_SLACK_WEB_URL: slackApi.replace(/\/api\/$/, ""),
      AUTOFLOW_SLACK_CLIENT_ID: expect.any(String),
      AUTOFLOW_SLACK_CLIENT_SECRET: expect.any(String),
      AUTOFLOW_GITHUB_API_URL: githubApi,
      AUTOFLOW_GITHUB_WEB_URL: githubApi,
      AUTOFLOW_GITHUB_CLIENT_ID: expect.any(String),
      AUTOFLOW_GITHUB_CLIENT_SECRET: expect.any(String),
    });
    // The env file holds the same lines, readable by its owner only (it carries the OAuth app's secret).
    expect(exportsOf(readFileSync(envOut, "utf8"))).toEqual(env);
    expect(statSync(envOut).mode & 0o777).toBe(0o600);

    cli.child.kill("SIGINT");
    const exit = await cli.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(cli.output()).toContain("Stopped (SIGINT)");
    expect(await refused(`${slackApi}auth.test`)).toBe(true);
    expect(await refused(`${githubApi}/user`)).toBe(true);
    // A stale file would point the service at closed ports.
    expect(existsSync(envOut)).toBe(false);
  });

  it("listens on the port given, runs only the providers named, and stops on SIGTERM with exit 0", async () => {
    const port = await freePort();
    const cli = runCli(["--providers", "github", "--port", `github=${port}`]);
    const output = await cli.waitFor("Ctrl-C stops the emulators");

    expect(field(output, "github", "API URL")).toBe(`http://127.0.0.1:${port}`);
    expect(output).not.toContain("slack emulator");
    expect(Object.keys(exportsOf(output)).every((name) => name.startsWith("AUTOFLOW_GITHUB_"))).toBe(true);

    cli.child.kill("SIGTERM");
    expect(await cli.exited).toMatchObject({ code: 0, signal: null });
    expect(await refused(`http://127.0.0.1:${port}/user`)).toBe(true);
  });

  it("injects the faults asked for, in the provider's own wire format", async () => {
    const cli = runCli(["--fault", "github=unauthorized", "--fault", "slack=rate-limited"]);
    const output = await cli.waitFor("Ctrl-C stops the emulators");

    const user = await fetch(`${field(output, "github", "API URL")}/user`, {
      headers: { authorization: `Bearer ${field(output, "github", "Token")}` },
    });
    expect(user.status).toBe(401);
    expect(await user.json()).toMatchObject({ message: "Bad credentials" });
    const slack = await fetch(`${field(output, "slack", "API URL")}auth.test`, {
      method: "POST",
      headers: { authorization: `Bearer ${field(output, "slack", "Token")}` },
    });
    expect(slack.status).toBe(429);
    expect(slack.headers.get("retry-after")).toBe("30");
  });

  it("exits 1 with a clear message when a port is taken, and leaves no emulator running", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as { port: number };
    const free = await freePort();
    try {
      // slack starts first on a free port, then github fails: slack must be stopped again.
      const cli = runCli(["--port", `slack=${free}`, "--port", `github=${port}`]);
      const exit = await cli.exited;
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(`port ${port} for github is already in use`);
      expect(await refused(`http://127.0.0.1:${free}/api/auth.test`)).toBe(true);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  describe.each([
    { args: ["--providers", "slack,jira"], message: 'unknown provider "jira" (known: slack, github)' },
    { args: ["--providers", ""], message: "--providers needs at least one provider" },
    { args: ["--port", "slack=99999"], message: '--port slack: "99999" is not a port' },
    { args: ["--port", "4001"], message: '--port "4001": write <provider>=<value>' },
    {
      args: ["--providers", "slack", "--port", "github=4002"],
      message: "github is not among the providers being run",
    },
    {
      args: ["--port", "slack=4001", "--port", "github=4001"],
      message: "--port 4001 is given to two providers",
    },
    { args: ["--fault", "slack=explode"], message: '--fault slack: unknown fault "explode"' },
    {
      args: ["--seed", "github=not-a-repo"],
      message: '"not-a-repo" is not a GitHub repository (owner/name)',
    },
    { args: ["--seed", "slack=Bad Name"], message: '"Bad Name" is not a Slack channel name' },
    { args: ["--prot", "slack=1"], message: "Unknown option '--prot'" },
    { args: ["extra"], message: "Unexpected argument 'extra'" },
  ])("refuses $args", ({ args, message }) => {
    it("with exit code 2 and a message naming the problem", async () => {
      const exit = await runCli(args).exited;
      expect(exit.code).toBe(2);
      expect(exit.stderr).toContain(message);
      expect(exit.stderr).toContain("autoflow-emulators --help");
    });
  });

  it("--help lists the options, the providers and the faults, and exits 0", async () => {
    const cli = runCli(["--help"]);
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    for (const text of [
      "--providers",
      "--port <provider>=<port>",
      "--seed",
      "--fault",
      "--env-out",
      "slack,github",
      "rate-limited",
    ]) {
      expect(cli.output()).toContain(text);
    }
  });
});
