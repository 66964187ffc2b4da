import { createCloudClient } from "jira.js";
import { afterEach, expect, it } from "vitest";
import { killLeftovers } from "./cli-process";
import { exportsOf, field, runCli } from "./cli-run";

afterEach(killLeftovers);

it("--seed jira=<email> prints an API token with its email and site URL; --seed jira=<summary> creates an issue", async () => {
  const cli = runCli(["--providers", "jira", "--seed", "jira=ada@example.com", "--seed", "jira=Disk full"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const apiUrl = field(output, "jira", "API URL");
  expect(exportsOf(output)).toMatchObject({
    AUTOFLOW_JIRA_API_URL: apiUrl,
    AUTOFLOW_JIRA_WEB_URL: apiUrl,
    AUTOFLOW_JIRA_CLIENT_ID: expect.any(String),
    AUTOFLOW_JIRA_CLIENT_SECRET: expect.any(String),
  });
  const seeded = /API token (\S+) for (\S+) on (\S+) \(cloud id ([^)]+)\)/.exec(output);
  if (!seeded) throw new Error(`no API token in:\n${output}`);
  const [, apiToken = "", email = "", siteUrl = "", cloudId = ""] = seeded;
  const site = createCloudClient({ host: siteUrl, auth: { type: "basic", email, apiToken } });
  expect((await site.issues.getIssue({ issueIdOrKey: "OPS-1" })).fields?.summary).toBe("Disk full");

  // The printed token is an OAuth access token: it works through the gateway for the printed cloud id.
  const gateway = createCloudClient({
    host: `${apiUrl}/ex/jira/${cloudId}`,
    auth: { type: "bearer", token: field(output, "jira", "Token") },
  });
  expect((await gateway.myself.getCurrentUser()).emailAddress).toBe("ada@example.com");
});

it("prints an API token with its email and site URL without any seed: the credential `autoflow serve` connects", async () => {
  const cli = runCli(["--providers", "jira"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const [apiToken, email, siteUrl] = ["API token", "Email", "Site URL"].map((label) =>
    field(output, "jira", label),
  );
  const site = createCloudClient({
    host: siteUrl ?? "",
    auth: { type: "basic", email: email ?? "", apiToken: apiToken ?? "" },
  });
  expect((await site.myself.getCurrentUser()).emailAddress).toBe(email);
});
