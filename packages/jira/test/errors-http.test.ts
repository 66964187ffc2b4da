import { JiraEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJiraClient, createJiraTransport, toJiraError } from "../src/index";

// The error table on what the emulator answers over HTTP, through jira.js and the package's transport.
const emulator = new JiraEmulator();
let jira: ReturnType<typeof createJiraClient>;
beforeAll(async () => {
  await emulator.start();
  jira = createJiraClient(emulator.mintToken(), { apiBaseUrl: emulator.apiUrl, cloudId: emulator.cloudId });
});
afterEach(() => emulator.clearFaults());
afterAll(() => emulator.stop());

async function failure(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    return toJiraError(error, Date.now());
  }
  throw new Error("the call succeeded");
}

describe("Jira's errors over HTTP", () => {
  it("a 404 is schema with Jira's errorMessages", async () => {
    const error = await failure(() => jira.issues.getIssue({ issueIdOrKey: "OPS-99999" }));
    expect(error).toMatchObject({ type: "schema", status: 404, retryable: false });
    expect(error.message).toMatch(/^Jira responded 404: .*(Issue does not exist|not exist)/i);
  });

  it("a 400 is schema with the field errors", async () => {
    const error = await failure(() =>
      jira.issues.createIssue({ fields: { project: { key: "OPS" }, issuetype: { name: "Task" } } }),
    );
    expect(error).toMatchObject({ type: "schema", status: 400 });
    expect(error.message).toContain("summary");
  });

  it("the removed /rest/api/3/search answers 410: schema, naming the enhanced search", async () => {
    const transport = createJiraTransport(emulator.mintToken(), {
      apiBaseUrl: emulator.apiUrl,
      cloudId: emulator.cloudId,
    });
    const error = await failure(() =>
      transport.sendRequest({
        url: "/rest/api/3/search",
        method: "GET",
        searchParams: { jql: "project = OPS" },
      }),
    );
    expect(error).toMatchObject({ type: "schema", status: 410 });
    expect(error.message).toContain("/rest/api/3/search/jql");
  });

  it("a rate limit is rate-limit, with retryAt from Retry-After or X-RateLimit-Reset when it is at least the floor", async () => {
    await emulator.injectFault("rate-limited");
    const error = await failure(() => jira.myself.getCurrentUser());
    expect(error).toMatchObject({ type: "rate-limit", status: 429, retryable: true });
    expect(error.message).toMatch(/^Jira API rate limit exceeded/);
  });

  it("a revoked token is auth", async () => {
    const token = emulator.mintToken();
    emulator.revokeToken(token);
    const revoked = createJiraClient(token, { apiBaseUrl: emulator.apiUrl, cloudId: emulator.cloudId });
    expect(await failure(() => revoked.myself.getCurrentUser())).toMatchObject({ type: "auth", status: 401 });
  });
});
