import { afterEach, expect, it } from "vitest";
import { killLeftovers } from "./cli-process";
import { field, runCli } from "./cli-run";

afterEach(killLeftovers);

async function slackCall(apiUrl: string, method: string, token: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${apiUrl}${method}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

it("--seed slack=<channel> adds the channel; the printed token answers the Web API", async () => {
  const cli = runCli(["--providers", "slack", "--seed", "slack=deploys"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const api = field(output, "slack", "API URL");
  const token = field(output, "slack", "Token");

  expect(await slackCall(api, "auth.test", token)).toMatchObject({ ok: true, team_id: "T01ACME000" });
  const channels = (await slackCall(api, "conversations.list", token)).channels as { name: string }[];
  expect(channels.map((c) => c.name)).toContain("deploys");
  expect(output).toContain("export AUTOFLOW_SLACK_WEB_URL=");
  expect(output).toMatch(/^export AUTOFLOW_SLACK_API_URL=http:\/\/127\.0\.0\.1:\d+\/api\/$/m);
});

it("--fault slack=rate-limited answers every call with Slack's 429 and Retry-After", async () => {
  const cli = runCli(["--providers", "slack", "--fault", "slack=rate-limited"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const answer = await fetch(`${field(output, "slack", "API URL")}auth.test`, {
    method: "POST",
    headers: { authorization: `Bearer ${field(output, "slack", "Token")}` },
  });
  expect(answer.status).toBe(429);
  expect(answer.headers.get("retry-after")).toBe("30");
});

it("refuses a seed that is not a Slack channel name, with exit code 2", async () => {
  const exit = await runCli(["--seed", "slack=Bad Name"]).exited;
  expect(exit.code).toBe(2);
  expect(exit.stderr).toContain('"Bad Name" is not a Slack channel name');
});
