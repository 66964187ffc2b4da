import type { LookupAddress } from "node:dns";
import type { EgressLookup } from "@autoflow/actions";
import { defineJob, JobRunner, MemoryTaskStore } from "@autoflow/core";
import { JiraEmulator } from "@autoflow/emulators";
import { Jira } from "@autoflow/jira";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createJobAuthResolver } from "../src/job-auth";
import { createProviderLifecycles } from "../src/providers";
import { startTestServer, type TestServer } from "./http-server";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

afterAll(removeTempDirs);

// A Jira API-token connection names its own site, which the user types. The siteUrl passes the egress policy when
// it is given; every later request to it (the connection's test, a run's Jira task) is checked again on the address
// it actually dials, so a name rebound inside since (DNS rebinding) reaches nothing. The emulator is the site; the
// site's name is `jira-site.example.test`, resolved by the test's own DNS: no real lookup is ever made.
const SITE = "jira-site.example.test";

/** The site's DNS, one answer per lookup in turn, the last repeating: what the test rebinds. */
const dns = { answers: [] as string[], lookups: 0 };
const lookup: EgressLookup = (hostname, _options, callback) => {
  const address = dns.answers.length > 1 ? dns.answers.shift() : dns.answers[0];
  if (hostname !== SITE || address === undefined)
    return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
  dns.lookups++;
  callback(null, [{ address, family: 4 } as LookupAddress]);
};

const emulator = new JiraEmulator();
const siteUrl = () => emulator.siteUrl.replace("127.0.0.1", SITE);
/** The requests that reached the emulator through the site's name (the service's own emulator calls name 127.0.0.1). */
const siteRequests = () =>
  emulator.server.requests.filter((request) => request.headers.host?.startsWith(`${SITE}:`));

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
beforeEach(() => {
  dns.answers = [];
  dns.lookups = 0;
  emulator.server.clearRequests();
});

async function startService(extraEnv: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer("sqlite", emulator.env(), extraEnv, {
    egressLookup: lookup,
    actionProviders: { jira: { timeoutMs: 2_000 } },
  });
}

describe("a Jira site rebound inside between the siteUrl check and the service's first call to it", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startService();
  });
  afterAll(() => t?.close());

  it("passes the check on a public address, then refuses the call that would dial loopback: no connection, no request", async () => {
    const { apiToken, email } = emulator.mintApiToken();
    // Atlassian's address when the service checks the siteUrl; the emulator's (loopback) from then on.
    dns.answers = ["104.192.141.1", "127.0.0.1"];
    const connected = await t.call("POST", "/api/integrations/jira/connections", {
      body: { apiKey: apiToken, email, siteUrl: siteUrl() },
    });
    expect(connected.status).toBe(400);
    expect(connected.json).toMatchObject({ error: { code: "egress_denied", type: "schema" } });
    expect((connected.json as { error: { message: string } }).error.message).toMatch(
      /jira-site\.example\.test: 127\.0\.0\.1 is a loopback address.*AUTOFLOW_EGRESS_ALLOW/,
    );
    expect(dns.lookups).toBe(2);
    expect(emulator.server.requests).toEqual([]);
    expect((await t.call("GET", "/api/integrations/jira/connections")).json).toEqual([]);
  });
});

describe("a Jira site rebound inside after the connection was made", () => {
  let t: TestServer;
  let connectionId: string;
  beforeAll(async () => {
    // 127.0.0.1, which the operator's allow-list admits, stands in for the site's public address: the only address
    // the emulator can be reached on. The emulator's 1 s keep-alive is shorter than the service keeps an idle
    // socket, so every request below is a new connection, and a new lookup.
    t = await startService({ AUTOFLOW_EGRESS_ALLOW: "127.0.0.1/32" });
    dns.answers = ["127.0.0.1"];
    const { apiToken, email } = emulator.mintApiToken();
    const connected = await t.call("POST", "/api/integrations/jira/connections", {
      body: { apiKey: apiToken, email, siteUrl: siteUrl() },
    });
    expect(connected.status).toBe(201);
    connectionId = (connected.json as { id: string }).id;
    expect(siteRequests().map((request) => request.path)).toContain("/_edge/tenant_info");
  });
  afterAll(() => t?.close());

  it("tests the connection through the site's name while it resolves to the allowed address", async () => {
    dns.answers = ["127.0.0.1"];
    const tested = await t.call("POST", `/api/integrations/jira/connections/${connectionId}/test`);
    expect(tested.status).toBe(200);
    expect(tested.json).toMatchObject({ ok: "true", connectionId });
    expect(siteRequests().map((request) => request.path)).toEqual(["/rest/api/3/myself"]);
  });

  it("refuses the connection test once the name resolves to the metadata address", async () => {
    dns.answers = ["169.254.169.254"];
    const tested = await t.call("POST", `/api/integrations/jira/connections/${connectionId}/test`);
    expect(tested.status).toBe(400);
    expect(tested.json).toMatchObject({ error: { code: "egress_denied", type: "schema" } });
    expect((tested.json as { error: { message: string } }).error.message).toMatch(
      /jira-site\.example\.test: 169\.254\.169\.254 is a linkLocal address/,
    );
    expect(dns.lookups).toBe(1);
    expect(emulator.server.requests).toEqual([]);
  });

  it("fails a run's Jira task with egress_denied, once and not retried, once the name resolves to a private address", async () => {
    dns.answers = ["10.0.0.1"];
    const created = await t.call("POST", "/api/workflows", {
      body: {
        name: "File an issue",
        steps: [
          {
            id: "issue",
            action: "jira.createIssue",
            inputs: { project: "OPS", issueType: "Task", summary: "Rebound" },
            credentialId: connectionId,
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const started = await t.call("POST", `/api/workflows/${(created.json as { id: string }).id}/runs`);
    const { runId } = started.json as { runId: string };
    let view: { status: string; steps: { error?: { code?: string; message: string }; attempts: number }[] } =
      {
        status: "",
        steps: [],
      };
    await until(async () => {
      view = (await t.call("GET", `/api/runs/${runId}`)).json as typeof view;
      return view.status === "failed" || view.status === "completed";
    }, `run ${runId} to finish`);
    expect(view.status).toBe("failed");
    expect(view.steps[0]).toMatchObject({ error: { code: "egress_denied" }, attempts: 1 });
    expect(view.steps[0]?.error?.message).toMatch(
      /jira-site\.example\.test: 10\.0\.0\.1 is a private address/,
    );
    expect(emulator.server.requests).toEqual([]);
  });

  it("holds a code job's HOSTED Jira task to the policy too: through the site while allowed, refused once rebound", async () => {
    // The service's own resolver for code jobs, over its stores: the connection above, made by user-a.
    const resolveAuth = createJobAuthResolver({
      lifecycles: createProviderLifecycles(t.server.stores.connections, t.config.providers),
      jobsUserId: "user-a",
      configs: t.config.providers,
      egress: { policy: t.config.egress, lookup },
    });
    const job = defineJob({
      id: "who-am-i",
      integrations: { jira: new Jira({ id: "jira" }) },
      run: async (_payload, io) => (await io.jira.myself.getCurrentUser("me")).accountId,
    });
    const runJob = (runId: string) =>
      new JobRunner({ store: new MemoryTaskStore(), resolveAuth, logger: false }).run(job, { runId });

    dns.answers = ["127.0.0.1"];
    const allowed = await runJob("job-allowed");
    expect(allowed.status).toBe("completed");
    expect(siteRequests().map((request) => request.path)).toEqual(["/rest/api/3/myself"]);

    emulator.server.clearRequests();
    dns.answers = ["169.254.169.254"];
    const rebound = await runJob("job-rebound");
    expect(rebound).toMatchObject({
      status: "failed",
      error: { type: "schema", code: "egress_denied" },
    });
    expect(rebound.status === "failed" && rebound.error.message).toMatch(
      /jira-site\.example\.test: 169\.254\.169\.254 is a linkLocal address/,
    );
    expect(emulator.server.requests).toEqual([]);
  });
});
