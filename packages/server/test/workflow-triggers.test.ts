import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../src/run-view";
import { registerConnectionHook } from "./github-connection-hook";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("workflows started by triggers");
afterAll(removeTempDirs);

const OWNER = "octo-org";
const REPO = "hello";
const CHANNEL = "C01GENERAL";

describe.each(STORE_KINDS)("a stored workflow started by a GitHub webhook on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const github = new GithubEmulator();
    const slack = new SlackEmulator();
    let t: TestServer;
    let token: string;
    let hookId: number;
    let workflowId: string;

    beforeAll(async () => {
      await Promise.all([github.start(), slack.start()]);
      t = await startTestServer(kind, {
        AUTOFLOW_GITHUB_API_URL: github.url,
        AUTOFLOW_SLACK_API_URL: slack.apiUrl,
      });
      token = github.mintToken({ login: "octocat", scopes: ["repo", "admin:repo_hook"] });
      const gh = await t.call("POST", "/api/integrations/github/connections", {
        body: { accessToken: token },
      });
      expect(gh.status).toBe(201);
      const connectionId = (gh.json as { id: string }).id;
      const sl = await t.call("POST", "/api/integrations/slack/connections", {
        body: { accessToken: slack.mintToken() },
      });
      expect(sl.status).toBe(201);
      hookId = await registerConnectionHook(t, {
        token,
        githubUrl: github.url,
        connectionId,
        owner: OWNER,
        repo: REPO,
      });
      const created = await t.call("POST", "/api/workflows", {
        body: {
          name: "Triage new issues",
          trigger: { key: "github.issueOpened", inputs: { owner: OWNER, repo: REPO } },
          steps: [
            {
              id: "notify",
              action: "slack.sendMessage",
              inputs: {
                channel: CHANNEL,
                text: "New issue #{{trigger.issue.number}}: {{trigger.issue.title}}",
              },
              credentialId: "slack",
            },
            {
              id: "comment",
              action: "github.createComment",
              inputs: {
                owner: OWNER,
                repo: REPO,
                issue_number: { $ref: "trigger.issue.number" },
                body: "Announced in Slack ({{steps.notify.output.ts}})",
              },
              credentialId: "github",
            },
          ],
        },
      });
      expect(created.status).toBe(201);
      workflowId = (created.json as { id: string }).id;
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([github.stop(), slack.stop()]);
    });

    async function openIssue(title: string): Promise<number> {
      const response = await fetch(`${github.url}/repos/${OWNER}/${REPO}/issues`, {
        method: "POST",
        headers: { authorization: `token ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ title }),
      });
      return ((await response.json()) as { number: number }).number;
    }
    const commentsOn = (issue: number) =>
      github.state.repo(OWNER, REPO)?.issues.find((i) => i.number === issue)?.comments ?? [];
    const triggeredRuns = async () =>
      ((await t.call("GET", `/api/runs?workflowId=${workflowId}&limit=200`)).json as { runs: RunSummary[] })
        .runs;

    it("runs the workflow once per issue with the delivery as `trigger`, also when every delivery is sent three times", async () => {
      const numbers = [await openIssue("Crash on start"), await openIssue("Typo in README")];
      await github.awaitDeliveries();
      const opened = github.deliveries.filter((d) => d.hookId === hookId && d.action === "opened");
      expect(opened.map((d) => d.status)).toEqual([200, 200]);
      for (const delivery of opened) await github.redeliver(delivery.id, 2);

      await until(async () => {
        const runs = await triggeredRuns();
        return runs.length === 2 && runs.every((r) => r.status === "completed");
      }, "both triggered runs to complete");
      const runs = await triggeredRuns();
      expect(runs.every((r) => r.source === "trigger")).toBe(true);

      const messages = slack.history(CHANNEL).map((m) => m.text);
      for (const [index, title] of ["Crash on start", "Typo in README"].entries()) {
        const number = numbers[index] as number;
        expect(messages.filter((text) => text === `New issue #${number}: ${title}`)).toHaveLength(1);
        const comments = commentsOn(number);
        expect(comments).toHaveLength(1);
        // The comment ends with the task's hidden marker (how a lost answer is reconciled).
        expect(comments[0]?.body).toMatch(
          /^Announced in Slack \(\d+\.\d+\)\n\n<!-- autoflow-task:[0-9a-f]{32} -->$/,
        );
      }

      // The run view shows where the run came from and what each step did.
      const view = await t.call("GET", `/api/runs/${runs[0]?.id}`);
      expect(view.json).toMatchObject({
        workflowId,
        status: "completed",
        source: "trigger",
        steps: [
          { id: "notify", status: "completed" },
          { id: "comment", status: "completed" },
        ],
      });
    });

    it("starts nothing once the workflow is deleted", async () => {
      const before = (await triggeredRuns()).length;
      const number = await openIssue("Will be the last");
      // Wait for that run to finish, not only to start: its comment is asserted below (a loaded machine
      // once read it while the run was still queued).
      await until(async () => {
        const runs = await triggeredRuns();
        return runs.length === before + 1 && runs.every((r) => r.status === "completed");
      }, "the run for the new issue to complete");
      expect((await t.call("DELETE", `/api/workflows/${workflowId}`)).status).toBe(204);
      const after = await openIssue("After deletion");
      await github.awaitDeliveries();
      // The delivery is accepted (and dispatched) but starts no run: give the dispatcher its pass.
      await until(async () => {
        const pending = await t.server.stores.inbox.pending();
        return pending.length === 0;
      }, "the inbox to drain");
      expect(await triggeredRuns()).toHaveLength(before + 1);
      expect(commentsOn(after)).toHaveLength(0);
      expect(commentsOn(number)).toHaveLength(1);
      expect(slack.history(CHANNEL).some((m) => m.text === `New issue #${after}: After deletion`)).toBe(
        false,
      );
    });
  });
});
