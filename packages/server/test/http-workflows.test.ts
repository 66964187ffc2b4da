import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { removeTempDirs } from "./sqlite-temp";
import { until } from "./until";

warnIfNoPostgres("workflow HTTP");
afterAll(removeTempDirs);

interface StepView {
  id: string;
  action: string;
  status: string;
  output?: Record<string, unknown>;
  error?: { type: string; code?: string; message: string };
  attempts: number;
}
interface RunView {
  id: string;
  workflowId: string;
  status: string;
  error?: { type: string; code?: string; message: string };
  steps: StepView[];
}

describe.each(STORE_KINDS)("workflows over HTTP on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const slack = new SlackEmulator();
    const github = new GithubEmulator();
    const tokens: string[] = [];
    let t: TestServer;
    let slackConnectionId: string;

    beforeAll(async () => {
      await Promise.all([slack.start(), github.start()]);
      t = await startTestServer(
        kind,
        { AUTOFLOW_SLACK_API_URL: slack.apiUrl, AUTOFLOW_GITHUB_API_URL: github.url },
        {},
        {
          actionProviders: {
            slack: { timeoutMs: 2_000 },
            github: { timeoutMs: 2_000 },
          },
        },
      );
      const slackToken = slack.mintToken();
      const githubToken = github.mintToken({ login: "octocat" });
      tokens.push(slackToken, githubToken);
      const connected = await t.call("POST", "/api/integrations/slack/connections", {
        body: { accessToken: slackToken },
      });
      expect(connected.status).toBe(201);
      slackConnectionId = (connected.json as { id: string }).id;
      const gh = await t.call("POST", "/api/integrations/github/connections", {
        body: { accessToken: githubToken },
      });
      expect(gh.status).toBe(201);
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([slack.stop(), github.stop()]);
    });

    /** GitHub issue -> Slack message with the issue's URL; Slack bound by connection id, GitHub by provider id. */
    const issueToSlack = (
      title: string,
      text = "Issue {{steps.issue.output.url}} opened by {{trigger.by}}",
    ) => ({
      name: "Issue to Slack",
      steps: [
        {
          id: "issue",
          action: "github.createIssue",
          inputs: { owner: "octo-org", repo: "hello", title },
          credentialId: "github",
        },
        {
          id: "notify",
          action: "slack.sendMessage",
          inputs: { channel: "C01GENERAL", text },
          credentialId: slackConnectionId,
        },
      ],
    });

    async function create(body: unknown, user = "user-a") {
      return t.call("POST", "/api/workflows", { body, user });
    }

    async function finished(runId: string, user = "user-a"): Promise<RunView> {
      let view: RunView | undefined;
      await until(async () => {
        const got = await t.call("GET", `/api/runs/${runId}`, { user });
        expect(got.status).toBe(200);
        view = got.json as RunView;
        return view.status === "completed" || view.status === "failed";
      }, `run ${runId} to finish`);
      return view as RunView;
    }

    it("cancel: another user's run and an unknown one are 404, a finished run is 409 saying it ended", async () => {
      const created = await create(issueToSlack(`cancel-${Math.random()}`));
      const workflowId = (created.json as { id: string }).id;
      const started = await t.call("POST", `/api/workflows/${workflowId}/runs`);
      const { runId } = started.json as { runId: string };
      expect((await t.call("POST", `/api/runs/${runId}/cancel`, { user: "user-b" })).status).toBe(404);
      expect((await t.call("POST", "/api/runs/no-such-run/cancel")).status).toBe(404);
      const view = await finished(runId);
      const again = await t.call("POST", `/api/runs/${runId}/cancel`);
      expect(again.status).toBe(409);
      expect(JSON.stringify(again.json)).toContain(`Run ${runId} already ended (${view.status})`);
      expect((await t.call("GET", `/api/runs/${runId}`)).json).toMatchObject({ status: view.status });
    });

    it("cancel: a run whose step waits on GitHub's answer answers 200 (or 202), ends cancelled, and runs no further step", async () => {
      const issues = "/repos/octo-org/hello/issues";
      // GitHub never answers the issue: the first step is in progress until the cancel stops it.
      github.server.faults.hangNext(1, { method: "POST", path: issues });
      const slackPostsBefore = slack.requests.filter((r) => r.path.endsWith("chat.postMessage")).length;
      const issuesBefore = github.requests.filter((r) => r.method === "POST" && r.path === issues).length;
      const created = await create(issueToSlack(`held-${Math.random()}`));
      const started = await t.call("POST", `/api/workflows/${(created.json as { id: string }).id}/runs`);
      const { runId } = started.json as { runId: string };
      await until(
        () => github.requests.filter((r) => r.method === "POST" && r.path === issues).length > issuesBefore,
        "the issue request to reach GitHub",
      );

      const cancelled = await t.call("POST", `/api/runs/${runId}/cancel`);
      expect([200, 202]).toContain(cancelled.status);
      expect(cancelled.json).toMatchObject({ runId });
      let view: RunView | undefined;
      await until(async () => {
        view = (await t.call("GET", `/api/runs/${runId}`)).json as RunView;
        return view.status === "cancelled";
      }, `run ${runId} to end cancelled`);
      expect(view?.steps.map((s) => [s.id, s.status])).toEqual([
        ["issue", "cancelled"],
        ["notify", "pending"],
      ]);
      expect(slack.requests.filter((r) => r.path.endsWith("chat.postMessage")).length).toBe(slackPostsBefore);
      expect(github.requests.filter((r) => r.method === "POST" && r.path === issues).length).toBe(
        issuesBefore + 1,
      );
    });

    it("refuses to store an http.request step with a file:// URL: 400 naming the field", async () => {
      const created = await create({
        name: "Reads a file",
        steps: [{ id: "peek", action: "http.request", inputs: { url: "file:///etc/passwd" } }],
      });
      expect(created.status).toBe(400);
      expect(JSON.stringify(created.json)).toMatch(/steps\.0\.inputs\.url/);
    });

    it("refuses an http.request step aimed inside (the service's own loopback address), without a request", async () => {
      const created = await create({
        name: "Aimed inside",
        steps: [{ id: "peek", action: "http.request", inputs: { url: `${slack.url}/api/auth.test` } }],
      });
      expect(created.status).toBe(201);
      const before = slack.requests.length;
      const started = await t.call("POST", `/api/workflows/${(created.json as { id: string }).id}/runs`);
      expect(started.status).toBe(202);
      const view = await finished((started.json as { runId: string }).runId);
      expect(view.status).toBe("failed");
      expect(view.steps[0]).toMatchObject({
        status: "failed",
        attempts: 1,
        error: { type: "schema", code: "egress_denied" },
      });
      expect(slack.requests.length).toBe(before);
    });

    it("creates a workflow, runs it, and shows every step's output; Slack got the issue's URL", async () => {
      const title = `wf-${Math.random()}`;
      const created = await create(issueToSlack(title));
      expect(created.status).toBe(201);
      const workflow = created.json as { id: string; name: string; steps: unknown[] };
      expect(workflow.id).toMatch(/^wf_/);
      expect(workflow).toMatchObject({ name: "Issue to Slack", steps: issueToSlack(title).steps });

      const started = await t.call("POST", `/api/workflows/${workflow.id}/runs`, { body: { by: "mona" } });
      expect(started.status).toBe(202);
      const { runId } = started.json as { runId: string };

      const view = await finished(runId);
      expect(view).toMatchObject({ id: runId, workflowId: workflow.id, status: "completed" });
      const [issueStep, notifyStep] = view.steps;
      const issue = github.state.repo("octo-org", "hello")?.issues.find((i) => i.title === title);
      expect(issue).toBeDefined();
      expect(issueStep).toMatchObject({
        id: "issue",
        status: "completed",
        attempts: 1,
        output: { number: issue?.number, title },
      });
      const url = issueStep?.output?.url as string;
      expect(url).toContain(`/issues/${issue?.number}`);
      const message = slack.history("C01GENERAL").find((m) => m.text === `Issue ${url} opened by mona`);
      expect(message).toBeDefined();
      expect(notifyStep).toMatchObject({
        id: "notify",
        action: "slack.sendMessage",
        status: "completed",
        output: { channel: "C01GENERAL", ts: message?.ts },
      });
    });

    it("refuses at creation a path the earlier action's output does not have, naming the step and input", async () => {
      const created = await create(
        issueToSlack(`wf-bad-path-${Math.random()}`, "{{steps.issue.output.html_url}}"),
      );
      expect(created.status).toBe(400);
      const message = (created.json as { error: { message: string } }).error.message;
      expect(message).toContain("steps.1.inputs.text");
      expect(message).toContain("html_url");
      // The same problem at its path, for a form to show on the field.
      const { problems } = (created.json as { error: { problems: { path: string; message: string }[] } })
        .error;
      expect(problems).toEqual([
        { path: "steps.1.inputs.text", message: expect.stringContaining("html_url") },
      ]);
    });

    it("a run without a payload starts too; a payload field it lacks fails at that step as `schema`", async () => {
      const title = `wf-missing-${Math.random()}`;
      const created = await create(issueToSlack(title, "{{steps.issue.output.url}} by {{trigger.by}}"));
      expect(created.status).toBe(201);
      const id = (created.json as { id: string }).id;
      const started = await t.call("POST", `/api/workflows/${id}/runs`);
      expect(started.status).toBe(202);
      const view = await finished((started.json as { runId: string }).runId);
      expect(view.status).toBe("failed");
      expect(view.error).toMatchObject({ type: "schema", code: "missing_reference" });
      expect(view.error?.message).toContain(`Step "notify", input text: "trigger.by"`);
      expect(view.steps.map((s) => s.status)).toEqual(["completed", "pending"]);
    });

    it("another user can neither start nor read user-a's workflow and run, nor use user-a's connection", async () => {
      const created = await create(issueToSlack(`wf-private-${Math.random()}`));
      const id = (created.json as { id: string }).id;
      const started = await t.call("POST", `/api/workflows/${id}/runs`);
      const { runId } = started.json as { runId: string };
      await finished(runId);

      const start = await t.call("POST", `/api/workflows/${id}/runs`, { user: "user-b" });
      expect(start.status).toBe(404);
      expect(start.json).toMatchObject({ error: { code: "workflow_not_found" } });
      const read = await t.call("GET", `/api/runs/${runId}`, { user: "user-b" });
      expect(read.status).toBe(404);
      expect(read.json).toMatchObject({ error: { code: "run_not_found" } });
      expect((await t.call("GET", "/api/runs/run_nope")).status).toBe(404);

      // user-b binds user-a's Slack connection id: not theirs, so nothing is posted.
      const sent = slack.history("C01GENERAL").length;
      const theirs = await create(
        {
          steps: [
            {
              id: "notify",
              action: "slack.sendMessage",
              inputs: { channel: "C01GENERAL", text: "hi" },
              credentialId: slackConnectionId,
            },
          ],
        },
        "user-b",
      );
      expect(theirs.status).toBe(201);
      const run = await t.call("POST", `/api/workflows/${(theirs.json as { id: string }).id}/runs`, {
        user: "user-b",
      });
      const view = await finished((run.json as { runId: string }).runId, "user-b");
      expect(view.status).toBe("failed");
      expect(view.error).toMatchObject({ type: "auth", code: "credential_not_found" });
      expect(slack.history("C01GENERAL")).toHaveLength(sent);
    });

    it("a bad workflow is a 400 naming the problem, and nothing is sent", async () => {
      const before = github.requests.length + slack.requests.length;
      const cases: [unknown, string][] = [
        [
          {
            steps: [
              { id: "notify", action: "slack.sendMessage", inputs: { text: "{{steps.issue.output.url}}" } },
            ],
          },
          'steps.0.inputs.text: "steps.issue.output.url" references step "issue", but there is no such step',
        ],
        [
          { steps: [...issueToSlack("x").steps].reverse() },
          'references step "issue", but step "issue" runs after step "notify"',
        ],
        [
          { steps: [{ id: "a", action: "slack.sendMesage" }] },
          'steps.0.action: Unknown action "slack.sendMesage"',
        ],
        [{ id: "mine", steps: issueToSlack("x").steps }, 'Unrecognized key: "id"'],
        [{ steps: [] }, "steps: Too small"],
      ];
      for (const [body, message] of cases) {
        const response = await create(body);
        expect(response.status, message).toBe(400);
        expect((response.json as { error: { message: string } }).error.message).toContain(message);
      }
      expect((await t.call("POST", "/api/workflows", { rawBody: "{" })).status).toBe(400);
      expect((await t.call("POST", "/api/workflows", { user: null, body: issueToSlack("x") })).status).toBe(
        401,
      );
      expect((await t.call("GET", "/api/runs/run_x", { user: null })).status).toBe(401);
      expect(github.requests.length + slack.requests.length).toBe(before);
    });

    it("no token appears in any response or log line", () => {
      expect(t.responses.length).toBeGreaterThan(10);
      for (const token of tokens) {
        expect(t.responses.join("\n")).not.toContain(token);
        expect(t.logs.join("\n")).not.toContain(token);
      }
    });
  });
});
