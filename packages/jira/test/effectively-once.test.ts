import type { RunEvent } from "@autoflow/core";
import { expectDoneOnce, reconcileResults } from "@autoflow/core/testing";
import { JiraEmulator, ManualClock } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Jira } from "../src/index";
import { jiraFor, runJob } from "./helpers";

// Created once: Jira keys nothing, so every create carries the task's marker in an entity property. The answer is
// lost after Jira handled the create (the connection reset before any byte of it, or held past the client's
// deadline); the runtime asks the reconciler first, which finds the issue (JQL on the property), the comment (the
// issue's comments) or the webhook (the app's list) and completes the task with it. Through jira.js over loopback.
// One clock for the emulator and the runner: a reconciler's look-again wait moves the emulator's search along.
const clock = new ManualClock(Date.now());
const emulator = new JiraEmulator({ clock });
const runnerClock = { now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms) };
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterEach(async () => {
  emulator.searchVisibilityLagMs = 0;
  await emulator.clearFaults();
});
afterAll(() => emulator.stop());

const SETTLE_MS = 400;
const api = (path: string) => `/ex/jira/${emulator.cloudId}/rest/api/3${path}`;
const posts = (path: string) =>
  emulator.requests.filter((r) => r.method === "POST" && r.path === path).length;
let unique = 0;

async function run(body: (jira: Jira) => Promise<unknown>, timeoutMs = 5_000) {
  const events: RunEvent[] = [];
  const outcome = await runJob(
    jiraFor(emulator, token, { timeoutMs, searchSettleMs: SETTLE_MS }),
    (io) => body(io.jira),
    {
      clock: runnerClock,
      maxInProcessWaitMs: Number.POSITIVE_INFINITY,
      onEvent: (event) => events.push(event),
    },
  );
  return { ...outcome, events };
}

const issuesWith = (summary: string) =>
  [...emulator.state.issues.values()].filter((i) => i.summary === summary);
const createIssue = (summary: string) => (j: Jira) =>
  j.issues.createIssue("create", {
    fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary },
  });

describe("issues.createIssue", () => {
  it.each(["reset", "hang"] as const)(
    "its answer lost (%s) after Jira created it: found by its marker property, not created again",
    async (after) => {
      const summary = `Lost ${++unique}`;
      const before = posts(api("/issue"));
      emulator.server.faults.loseAnswerNext(1, { method: "POST", path: api("/issue") }, after);
      const outcome = await run(createIssue(summary), after === "hang" ? 300 : 5_000);
      const [issue] = issuesWith(summary);
      expectDoneOnce(outcome, {
        reconciled: true,
        sideEffects: issuesWith(summary).length,
        calls: posts(api("/issue")) - before,
      });
      expect(outcome.output).toMatchObject({ id: issue?.id, key: issue?.key });
      const lookup = emulator.requests.filter((r) => r.path === api("/search/jql")).at(-1);
      expect(String(lookup?.query.jql)).toMatch(
        /^issue\.property\[autoflow\]\.marker = "autoflow-task:[0-9a-f]{32}"$/,
      );
    },
  );

  it("its answer lost while the search index lags: not found at first, found on the later look, one issue", async () => {
    const summary = `Lagging ${++unique}`;
    emulator.searchVisibilityLagMs = 200;
    emulator.server.faults.loseAnswerNext(1, { method: "POST", path: api("/issue") }, "reset");
    const started = clock.now();
    const outcome = await run(createIssue(summary));
    expect(outcome.result.status).toBe("completed");
    expect(reconcileResults(outcome.events)).toEqual(["look-again", "found"]);
    expect(issuesWith(summary)).toHaveLength(1);
    // It waited the settle window on the shared clock, no wall-clock time.
    expect(clock.now() - started).toBeGreaterThanOrEqual(SETTLE_MS);
  });

  it("refused before Jira acted (reset before handling): absent past the settle window, created once", async () => {
    const summary = `Refused ${++unique}`;
    const before = posts(api("/issue"));
    emulator.server.faults.resetNext(1, { method: "POST", path: api("/issue") });
    const outcome = await run(createIssue(summary));
    expect(outcome.result.status).toBe("completed");
    expect(reconcileResults(outcome.events)).toEqual(["look-again", "not-found"]);
    expect(posts(api("/issue")) - before).toBe(2);
    expect(issuesWith(summary)).toHaveLength(1);
  });
});

describe("comments", () => {
  const cases = [
    {
      task: "issueComments.addComment",
      call: (j: Jira, key: string, text: string) =>
        j.issueComments.addComment("comment", {
          issueIdOrKey: key,
          body: {
            type: "doc",
            version: 1,
            content: [{ type: "paragraph", content: [{ type: "text", text }] }],
          },
        }),
    },
    {
      task: "addTextComment",
      call: (j: Jira, key: string, text: string) => j.addTextComment("comment", { issueIdOrKey: key, text }),
    },
  ];
  it.for(cases)(
    "$task: its answer lost after Jira added it: found among the issue's comments, not added again",
    async ({ call }) => {
      const issue = emulator.createIssue(`Commented ${++unique}`);
      const path = api(`/issue/${issue.key}/comment`);
      const before = posts(path);
      emulator.server.faults.loseAnswerNext(1, { method: "POST", path }, "reset");
      const outcome = await run((j) => call(j, issue.key, "Deployed"));
      const comments = emulator.issue(issue.key)?.comments ?? [];
      expectDoneOnce(outcome, {
        reconciled: true,
        sideEffects: comments.length,
        calls: posts(path) - before,
      });
      expect(outcome.output).toMatchObject({ id: comments[0]?.id });
    },
  );
});

describe("webhooks.registerDynamicWebhooks", () => {
  it("its answer lost after Jira registered it: found in the app's list by URL, filter and events", async () => {
    const url = `https://example.com/hooks/${++unique}`;
    const path = api("/webhook");
    const before = posts(path);
    emulator.server.faults.loseAnswerNext(1, { method: "POST", path }, "reset");
    const outcome = await run((j) =>
      j.webhooks.registerDynamicWebhooks("register", {
        url,
        webhooks: [{ events: ["jira:issue_created"], jqlFilter: "project = OPS" }],
      }),
    );
    const hooks = emulator.webhooks.dynamic.filter((hook) => hook.url === url);
    expectDoneOnce(outcome, { reconciled: true, sideEffects: hooks.length, calls: posts(path) - before });
    expect(outcome.output).toMatchObject({ webhookRegistrationResult: [{ createdWebhookId: hooks[0]?.id }] });
  });
});
