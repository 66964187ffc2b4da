import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SlackEmulator } from "@autoflow/emulators";
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

// The scripted first visit, as a newcomer makes it: `autoflow serve` (the real command, in its own process, with
// Slack pointed at the emulator), the sign-in link it prints, then the dashboard: connect Slack, see the trigger
// healthy, and a run with a rate-limited call that was retried, every task and output on screen.
describe("a first visit from autoflow serve's sign-in link", () => {
  const slack = new SlackEmulator();
  let browser: Browser;
  let serve: ChildScript;
  let user: UserPage;
  let url = "";
  let token = "";
  let signIn = "";

  beforeAll(async () => {
    const [launched, port] = await Promise.all([launchChromium(), freePort(), slack.start()]);
    browser = launched;
    url = `http://127.0.0.1:${port}`;
    serve = spawnScript("src/serve.ts", {
      PORT: String(port),
      AUTOFLOW_PUBLIC_URL: url,
      AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-first-visit-")),
      ...slack.env(),
    });
    await until(
      () => /Sign in: \S+/.test(serve.output.stdout) && /export AUTOFLOW_TOKEN=\S+/.test(serve.output.stdout),
      "serve to print its sign-in link and token",
      60_000,
    );
    signIn = /Sign in: (\S+)/.exec(serve.output.stdout)?.[1] ?? "";
    token = /export AUTOFLOW_TOKEN=(\S+)/.exec(serve.output.stdout)?.[1] ?? "";
    user = await openUserPage(browser);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    killScripts();
    await slack.stop();
  });

  /** The set-up a person would do with curl: the assertions are all in the page. */
  async function api(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.json();
  }

  it(
    "signs in, connects Slack, shows the trigger healthy and a retried run completed with every task and output",
    async () => {
      const { page } = user;
      expect(signIn.startsWith(`${url}/auth/sign-in?token=`)).toBe(true);
      await page.goto(signIn);
      await page.locator("h1", { hasText: "Connections" }).waitFor();
      await page.getByText("Signed in as").getByText("dev-user").waitFor();

      const card = page.getByRole("region", { name: "Slack" });
      await card.getByRole("button", { name: "Connect with OAuth" }).click();
      await page.getByRole("status").getByText("Connected Slack.").waitFor();
      await card.locator('.badge[data-status="ok"]').waitFor();
      await expectNoSeriousAxeViolations(page);

      // A workflow with a Slack trigger, and a run of it whose message Slack first refuses with a rate limit.
      const workflow = (await api("POST", "/api/workflows", {
        name: "Greet the channel",
        trigger: { key: "slack.message", inputs: { team: "T01ACME000", channel: "C01GENERAL" } },
        steps: [
          {
            id: "greet",
            action: "slack.sendMessage",
            credentialId: "slack",
            inputs: { channel: "C01GENERAL", text: "Hello from a first visit" },
          },
        ],
      })) as { id: string };
      slack.server.faults.failNext(
        1,
        { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } },
        { path: /chat\.postMessage$/ },
      );
      const { runId } = (await api("POST", `/api/workflows/${workflow.id}/runs`)) as { runId: string };

      await page.getByRole("link", { name: "Triggers" }).click();
      const trigger = page.locator("tr", { hasText: `workflow ${workflow.id}` });
      await trigger.locator('.badge[data-status="ok"]').waitFor();
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("link", { name: "Runs" }).click();
      await page.locator(`tr[data-run-id="${runId}"]`).getByRole("link").click();
      await page.locator('.run-status .badge[data-status="completed"]').waitFor({ timeout: 30_000 });
      const step = page.locator('li.task[data-task-id="greet"]');
      await step.locator('.badge[data-status="completed"]').first().waitFor();
      const tasks = page.locator("li.task");
      expect(await tasks.count()).toBeGreaterThanOrEqual(2);
      // Every task is on screen with its status, and each task's output is there or a click away.
      for (let i = 0; i < (await tasks.count()); i++) {
        const task = tasks.nth(i);
        expect(await task.locator(".task-name").first().isVisible()).toBe(true);
        expect(await task.locator(".badge").first().textContent()).toContain("completed");
        const summary = task.locator(":scope > details > summary");
        if ((await summary.count()) > 0 && !(await task.locator(":scope > details > pre").isVisible()))
          await summary.click();
        if ((await summary.count()) > 0) await task.locator(":scope > details > pre").waitFor();
      }
      // The rate-limited attempt, what it waited for, and the retry that succeeded.
      const attempt = step.locator('.attempt[data-error-type="rate-limit"]');
      await attempt.waitFor();
      expect(await attempt.textContent()).toMatch(/waited until/);
      await step.locator('[data-attempts="2"]').waitFor();
      expect(await step.locator("pre.output").first().textContent()).toContain("C01GENERAL");
      await expectNoSeriousAxeViolations(page);
      await screenshot(page, "first-visit-run");
      expectNoPageProblems(user);
    },
    60_000 + PAGE_TIMEOUT_MS,
  );
});
