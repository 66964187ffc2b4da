import { createHmac, randomUUID } from "node:crypto";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../src/run-view";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { postSignedSlackEvent } from "./signed-slack-event";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("delivery tenancy");
afterAll(removeTempDirs);

const GITHUB_SECRET = "github-app-webhook-secret-0123456789";
const SLACK_SECRET = "slack-signing-secret-0123456789";
const ALICE = "alice";
const MALLORY = "mallory";
/** A private repository only Alice's GitHub account (octocat, a member of octo-org) can see. */
const PRIVATE = { owner: "octo-org", repo: "payroll" };

/** A GitHub `issues.opened` delivery about `owner/repo`, shaped as GitHub sends it. */
function issueOpened(owner: string, repo: string, number: number) {
  return {
    action: "opened",
    issue: { id: number, number, title: `Issue ${number}`, body: null, state: "open", labels: [] },
    repository: {
      id: 1,
      name: repo,
      full_name: `${owner}/${repo}`,
      private: true,
      owner: { login: owner, id: 2 },
    },
    organization: { login: owner, id: 2 },
    installation: { id: 42 },
    sender: { login: "octocat", id: 3 },
  };
}

/** A Slack `message` event_callback from workspace `team` in `channel`. */
function slackMessage(team: string, channel: string, text: string) {
  return {
    type: "event_callback",
    team_id: team,
    api_app_id: "A0001",
    event_id: `Ev${randomUUID().replace(/-/g, "").slice(0, 12).toUpperCase()}`,
    event_time: 1_700_000_000,
    event: { type: "message", channel, user: "U0001", text, ts: "1700000000.000100" },
  };
}

describe.each(STORE_KINDS)("webhook deliveries reach only their tenant's workflows on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const github = new GithubEmulator();
    const slack = new SlackEmulator();
    let t: TestServer;
    let aliceGithub: string;
    let malloryGithub: string;
    let aliceWorkflow: string;
    let malloryScoped: string;
    let malloryLegacy: string;
    let aliceSlackWorkflow: string;

    const githubStep = {
      id: "echo",
      action: "http.request",
      // The attack's shape: the delivery posted out. The egress policy refuses loopback at once, so runs end fast.
      inputs: { url: "http://127.0.0.1:9/collect", method: "POST", body: { $ref: "trigger" } },
    };

    const runsOf = async (user: string, workflowId: string) =>
      (
        (await t.call("GET", `/api/runs?workflowId=${workflowId}&limit=200`, { user })).json as {
          runs: RunSummary[];
        }
      ).runs;
    const drained = () =>
      until(async () => (await t.server.stores.inbox.pending()).length === 0, "the inbox to drain");

    async function sendGithub(payload: unknown, path = "/api/webhooks/github", secret = GITHUB_SECRET) {
      const body = JSON.stringify(payload);
      const response = await fetch(`${t.url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "issues",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
        },
        body,
      });
      expect(response.status).toBe(200);
    }

    async function sendSlack(payload: unknown) {
      const body = JSON.stringify(payload);
      const response = await postSignedSlackEvent(t.url, SLACK_SECRET, body);
      expect(response.status).toBe(200);
    }

    const connect = async (user: string, provider: string, accessToken: string) => {
      const created = await t.call("POST", `/api/integrations/${provider}/connections`, {
        user,
        body: { accessToken },
      });
      expect(created.status).toBe(201);
      return (created.json as { id: string }).id;
    };
    const createWorkflow = async (user: string, trigger: unknown) =>
      t.call("POST", "/api/workflows", { user, body: { name: "Forward", trigger, steps: [githubStep] } });

    beforeAll(async () => {
      await Promise.all([github.start(), slack.start()]);
      github.state.addRepo(PRIVATE.owner, PRIVATE.repo, { private: true });
      github.state.addAccount({ login: "mallory", type: "User", name: "Mallory", email: null });
      github.state.addRepo("mallory", "tools", { private: true });
      t = await startTestServer(
        kind,
        { AUTOFLOW_GITHUB_API_URL: github.url, AUTOFLOW_SLACK_API_URL: slack.apiUrl },
        { AUTOFLOW_GITHUB_WEBHOOK_SECRETS: GITHUB_SECRET, AUTOFLOW_SLACK_SIGNING_SECRETS: SLACK_SECRET },
      );
      aliceGithub = await connect(ALICE, "github", github.mintToken({ login: "octocat" }));
      malloryGithub = await connect(MALLORY, "github", github.mintToken({ login: "mallory" }));
      await connect(ALICE, "slack", slack.mintToken());

      const alice = await createWorkflow(ALICE, { key: "github.issueOpened", inputs: PRIVATE });
      expect(alice.status).toBe(201);
      aliceWorkflow = (alice.json as { id: string }).id;
      const scoped = await createWorkflow(MALLORY, {
        key: "github.issueOpened",
        inputs: { owner: "mallory" },
      });
      expect(scoped.status).toBe(201);
      malloryScoped = (scoped.json as { id: string }).id;
      // What the attack stored before scopes existed: `github.issueOpened` with empty inputs, posting the delivery
      // out. Written as an upgraded database holds it: no scope.
      malloryLegacy = `wf_${randomUUID()}`;
      const at = new Date().toISOString();
      await t.server.stores.workflows.saveWorkflow({
        id: malloryLegacy,
        userId: MALLORY,
        definition: {
          id: malloryLegacy,
          trigger: { key: "github.issueOpened", inputs: {} },
          steps: [githubStep],
        },
        createdAt: at,
        updatedAt: at,
      });
      const slackWorkflow = await createWorkflow(ALICE, {
        key: "slack.message",
        inputs: { channel: "C01GENERAL" },
      });
      expect(slackWorkflow.status).toBe(201);
      aliceSlackWorkflow = (slackWorkflow.json as { id: string }).id;
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([github.stop(), slack.stop()]);
    });

    it("refuses, when saving, a trigger without its scope inputs or scoped to what the user's connection cannot see", async () => {
      const unscoped = await createWorkflow(MALLORY, { key: "github.issueOpened", inputs: {} });
      expect(unscoped.status).toBe(400);
      expect(JSON.stringify(unscoped.json)).toContain("trigger.inputs.owner");

      const hidden = await createWorkflow(MALLORY, { key: "github.issueOpened", inputs: PRIVATE });
      expect(hidden.status).toBe(400);
      expect((hidden.json as { error: { message: string } }).error.message).toMatch(
        /^trigger\.inputs\.repo: the GitHub connection \(mallory\) cannot see octo-org\/payroll/,
      );
      const org = await createWorkflow(MALLORY, { key: "github.issueOpened", inputs: { owner: "octo-org" } });
      expect(org.status).toBe(400);
      expect((org.json as { error: { message: string } }).error.message).toMatch(/^trigger\.inputs\.owner: /);

      const noSlack = await createWorkflow(MALLORY, { key: "slack.message", inputs: { team: "T01ACME000" } });
      expect(noSlack.status).toBe(400);
      expect((noSlack.json as { error: { message: string } }).error.message).toMatch(
        /connect a slack account/,
      );
      const otherTeam = await createWorkflow(ALICE, { key: "slack.message", inputs: { team: "T0OTHER" } });
      expect(otherTeam.status).toBe(400);
      expect((otherTeam.json as { error: { message: string } }).error.message).toMatch(
        /^trigger\.inputs\.team: /,
      );
    });

    it("shows a workflow stored without a scope as paused, and one saved with a checked scope with that scope", async () => {
      const legacy = await t.call("GET", `/api/workflows/${malloryLegacy}`, { user: MALLORY });
      expect(legacy.json).toMatchObject({ paused: { reason: expect.stringContaining("no verified scope") } });
      const scoped = await t.call("GET", `/api/workflows/${aliceWorkflow}`, { user: ALICE });
      expect(scoped.json).not.toHaveProperty("paused");
      expect(scoped.json).toMatchObject({
        triggerScope: { connectionId: aliceGithub, account: "octo-org", resource: "octo-org/payroll" },
      });
    });

    it("starts a provider-wide delivery's workflow only for the user whose connection sees its repository", async () => {
      await sendGithub(issueOpened(PRIVATE.owner, PRIVATE.repo, 7));
      await until(async () => (await runsOf(ALICE, aliceWorkflow)).length === 1, "Alice's run");
      await drained();
      expect(await runsOf(MALLORY, malloryLegacy)).toEqual([]);
      expect(await runsOf(MALLORY, malloryScoped)).toEqual([]);

      // Mallory's own repository's events reach her scoped workflow, and still not the paused one.
      await sendGithub(issueOpened("mallory", "tools", 1));
      await until(async () => (await runsOf(MALLORY, malloryScoped)).length === 1, "Mallory's run");
      await drained();
      expect(await runsOf(MALLORY, malloryLegacy)).toEqual([]);
      expect(await runsOf(ALICE, aliceWorkflow)).toHaveLength(1);
    });

    it("starts a delivery through one connection's hook only for that connection's owner", async () => {
      const secret = "mallory-hook-secret-0123456789";
      await t.server.stores.webhookSecrets.saveSecret({
        connectionId: malloryGithub,
        secretId: "hook-1",
        provider: "github",
        secret,
        createdAt: new Date().toISOString(),
      });
      // Mallory's hook sends an event about Alice's repository: Alice's workflow matches it, but it is not hers.
      await sendGithub(
        issueOpened(PRIVATE.owner, PRIVATE.repo, 8),
        `/api/webhooks/github/${malloryGithub}`,
        secret,
      );
      await drained();
      expect(await runsOf(ALICE, aliceWorkflow)).toHaveLength(1);
      expect(await runsOf(MALLORY, malloryLegacy)).toEqual([]);

      const inbox = (await t.server.stores.inbox.pending()).length;
      expect(inbox).toBe(0);
    });

    it("starts a Slack workflow for events from its own workspace, not another's with the same channel id", async () => {
      await sendSlack(slackMessage("T0OTHER", "C01GENERAL", "from another workspace"));
      await drained();
      expect(await runsOf(ALICE, aliceSlackWorkflow)).toEqual([]);
      await sendSlack(slackMessage("T01ACME000", "C01GENERAL", "from Acme"));
      await until(async () => (await runsOf(ALICE, aliceSlackWorkflow)).length === 1, "the Acme run");
    });

    it("stops starting a workflow once the connection its scope was checked with is revoked", async () => {
      expect(
        (await t.call("DELETE", `/api/integrations/github/connections/${aliceGithub}`, { user: ALICE }))
          .status,
      ).toBe(204);
      await sendGithub(issueOpened(PRIVATE.owner, PRIVATE.repo, 9));
      await drained();
      expect(await runsOf(ALICE, aliceWorkflow)).toHaveLength(1);
    });

    it("resumes a paused workflow once it is saved again with a scope the user's connection sees", async () => {
      const saved = await t.call("PUT", `/api/workflows/${malloryLegacy}`, {
        user: MALLORY,
        body: {
          trigger: { key: "github.issueOpened", inputs: { owner: "mallory", repo: "tools" } },
          steps: [githubStep],
        },
      });
      expect(saved.status).toBe(200);
      expect(saved.json).not.toHaveProperty("paused");
      await sendGithub(issueOpened("mallory", "tools", 2));
      await until(
        async () => (await runsOf(MALLORY, malloryLegacy)).length === 1,
        "the resumed workflow's run",
      );
    });
  });
});
