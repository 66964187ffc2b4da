import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildScript, killScripts, spawnScript } from "../child-process";
import { until } from "../until";
import {
  expectNoPageProblems,
  expectNoSeriousAxeViolations,
  freePort,
  launchChromium,
  openUserPage,
  PAGE_TIMEOUT_MS,
  screenshot,
  type UserPage,
} from "./browser-harness";

// `autoflow serve` is killed (SIGKILL) while a run's second step waits on Slack, then started again on the same
// state: the run resumes from its task log. Its page, open all along, reconnects by itself and shows the first
// step as replayed from the log, not run again.
describe("a run resumed after the service crashed, in the browser", () => {
  const slack = new SlackEmulator();
  const github = new GithubEmulator();
  let browser: Browser;
  let user: UserPage;
  let env: Record<string, string> = {};

  /** `autoflow serve` in its own process, once it printed its sign-in link and token. */
  async function serve(): Promise<ChildScript> {
    const started = spawnScript("src/serve.ts", env);
    await until(
      () => /export AUTOFLOW_TOKEN=\S+/.test(started.output.stdout) || started.child.exitCode !== null,
      "serve to start",
      60_000,
    );
    if (started.child.exitCode !== null) throw new Error(`serve exited: ${started.output.stderr}`);
    return started;
  }

  beforeAll(async () => {
    const [launched, port] = await Promise.all([launchChromium(), freePort(), slack.start(), github.start()]);
    browser = launched;
    env = {
      PORT: String(port),
      AUTOFLOW_PUBLIC_URL: `http://127.0.0.1:${port}`,
      AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-run-recovery-")),
      ...slack.env(),
      ...github.env(),
    };
    user = await openUserPage(browser);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    killScripts();
    await Promise.all([slack.stop(), github.stop()]);
  });

  it("shows the steps the restarted service replayed from the log", async () => {
    const first = await serve();
    const url = env.AUTOFLOW_PUBLIC_URL as string;
    const token = /export AUTOFLOW_TOKEN=(\S+)/.exec(first.output.stdout)?.[1] ?? "";
    const signIn = /Sign in: (\S+)/.exec(first.output.stdout)?.[1] ?? "";
    const api = async (path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status, path).toBeLessThan(300);
      return response.json() as Promise<Record<string, string>>;
    };
    await api("/api/integrations/slack/connections", { accessToken: slack.mintToken() });
    await api("/api/integrations/github/connections", {
      accessToken: github.mintToken({ login: "octocat", scopes: ["repo"] }),
    });
    const workflow = await api("/api/workflows", {
      name: "Issue, then a message",
      steps: [
        {
          id: "issue",
          action: "github.createIssue",
          credentialId: "github",
          inputs: { owner: "octo-org", repo: "hello", title: "Opened before the crash" },
        },
        {
          id: "notify",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: "C01GENERAL", text: "Sent after the crash" },
        },
      ],
    });
    // Slack never answers the message: the run is in its second step when the process dies.
    slack.server.faults.hangNext(1, { path: /chat\.postMessage$/ });
    const posts = () => slack.requests.filter((r) => r.path.endsWith("chat.postMessage")).length;
    const { runId } = await api(`/api/workflows/${workflow.id}/runs`, {});

    const { page } = user;
    await page.goto(signIn.replace(/\/auth\/sign-in\?/, "/auth/sign-in?next=%2Fruns%2F" + runId + "&"));
    const issue = page.locator('li.task[data-task-id="issue"]');
    await issue.locator('.badge[data-status="completed"]').first().waitFor({ timeout: PAGE_TIMEOUT_MS });
    await until(() => posts() === 1, "the message to reach Slack");
    await page.locator('.run-status .badge[data-status="running"]').waitFor();

    first.child.kill("SIGKILL");
    await first.exited;
    slack.server.faults.clear();
    await serve();

    // The page's event stream reconnects to the new process, which resumes the run.
    const ended = page.locator(
      '.run-status .badge[data-status="completed"], .run-status .badge[data-status="failed"]',
    );
    await ended.waitFor({ timeout: 30_000 });
    await issue.locator(":scope > .task-head .marker", { hasText: "from the log" }).waitFor();
    const notify = page.locator('li.task[data-task-id="notify"]');
    expect(await notify.locator(":scope > .task-head .marker", { hasText: "from the log" }).count()).toBe(0);
    await page.getByText("Resumed", { exact: true }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "run-resumed");
    // The killed process cut the event stream, and while no process listened its reconnection attempts failed.
    expectNoPageProblems(
      user,
      /^console: Failed to load resource: net::ERR_(INCOMPLETE_CHUNKED_ENCODING|EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_REFUSED)$/,
    );
  }, 120_000);
});
