import { randomUUID } from "node:crypto";
import { defineJob, type JsonObject, type WebhookTrigger } from "@autoflow/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PROVIDERS } from "../../src/webhooks";
import { deliver, HMAC_PROVIDER } from "../hmac-webhook-provider";
import { removeTempDirs } from "../sqlite-temp";
import {
  expectNoHorizontalScroll,
  expectNoPageProblems,
  expectNoSeriousAxeViolations,
  type InPage,
  launchChromium,
  openUserPage,
  PAGE_TIMEOUT_MS,
  screenshot,
  type UserPage,
  visible,
} from "./browser-harness";
import { type DashboardService, startDashboardService } from "./dashboard-service";

// The dashboard in Chromium against the service and the Slack, Stripe and GitHub emulators: one browser and one
// service for the file, a browser context per user. Every check reads the page, never the API.
afterAll(removeTempDirs);

const SECRET = "dashboard-webhook-secret-0123456789abc";
const OWNER = "octo-org";
const REPO = "hello";
const MINUTE = 60_000;

/** A job whose trigger throws on a delivery without a numeric `number` until `cured`: a poison delivery, dead at once. */
let cured = false;
const recorded: string[] = [];
const numbered: WebhookTrigger<{ number: unknown }> = {
  kind: "webhook",
  provider: "test",
  title: "opened with a number",
  matches: (d) => d.event === "opened",
  payloadOf: (d) => {
    const payload = d.payload as JsonObject;
    if (typeof payload.number !== "number" && !cured) throw new Error("issue number missing");
    return payload as { number: unknown };
  },
};
const recordNumber = defineJob({
  id: "record-number",
  trigger: numbered,
  run: async (payload, io) => io.runTask("record", async () => void recorded.push(String(payload.number))),
});

/** Waits until `locator` is visible. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: PAGE_TIMEOUT_MS, interval: 100 });

/** The page's `<h1>`, which also holds the keyboard focus after an in-app navigation. */
const heading = (page: Page) => page.locator("h1");

// Each test waits for page states (15 s each at most): a margin for a loaded CI machine, never a measure.
describe("the dashboard in a browser", { timeout: 60_000 }, () => {
  let browser: Browser;
  let service: DashboardService;
  let alice: UserPage;
  const users: UserPage[] = [];
  let runId = "";

  beforeAll(async () => {
    [browser, service] = await Promise.all([
      launchChromium(),
      startDashboardService({
        env: { AUTOFLOW_TEST_WEBHOOK_SECRETS: SECRET, AUTOFLOW_DELIVERY_MAX_ATTEMPTS: "1" },
        server: {
          jobs: [recordNumber],
          jobsUserId: "user-a",
          webhookProviders: [...WEBHOOK_PROVIDERS, HMAC_PROVIDER],
        },
      }),
    ]);
    alice = await openUserPage(browser);
    users.push(alice);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** Creates a workflow for user-a over the API (the set-up, not what is checked) and answers its id. */
  async function createWorkflow(body: unknown): Promise<string> {
    const created = await service.t.call("POST", "/api/workflows", { body, user: "user-a" });
    expect(created.status, created.text).toBe(201);
    return (created.json as { id: string }).id;
  }

  it("shows a signed-out visitor how to sign in", async () => {
    const visitor = await openUserPage(browser);
    users.push(visitor);
    await visitor.page.goto(`${service.url}/runs`);
    await visible(visitor.page.getByRole("heading", { name: "Sign in to AutoFlow" }));
    await visible(visitor.page.getByText("autoflow token --sign-in"));
    await expectNoSeriousAxeViolations(visitor.page);
    await screenshot(visitor.page, "signed-out");
  });

  it("connects Slack through the OAuth redirect and shows it healthy", async () => {
    const { page } = alice;
    await service.signIn(alice, "user-a", "/connections");
    await visible(heading(page).getByText("Connections"));
    const card = page.getByRole("region", { name: "Slack" });
    await visible(card.getByText("not connected"));
    await card.getByRole("button", { name: "Connect with OAuth" }).click();

    // The emulator's authorize page consents at once; its redirect reaches the service's callback, which sends
    // the browser back to the connections page.
    await page.waitForURL(/\/connections/);
    await visible(page.getByRole("status").getByText("Connected Slack."));
    await visible(card.locator('.badge[data-status="ok"]'));
    await visible(card.getByText("Acme"));
    expect(await card.locator(".connection").count()).toBe(1);
    const masked = await card.locator(".token").first().textContent();
    expect(masked).toMatch(/…/);
    // The callback's query is gone from the address bar: a reload does not announce it again.
    expect(new URL(page.url()).search).toBe("");
    await expectNoSeriousAxeViolations(page);
  });

  it("connects Stripe with a key through the form, with the keyboard, after showing why a bad key was refused", async () => {
    const { page } = alice;
    const card = page.getByRole("region", { name: "Stripe" });
    await card.getByRole("button", { name: /API key/ }).click();
    const key = card.getByLabel("API key", { exact: true });
    await visible(key);
    expect(await key.getAttribute("type")).toBe("password");

    await key.fill("sk_test_not_a_key_the_emulator_knows");
    await card.getByRole("button", { name: "Connect", exact: true }).click();
    const refused = card.getByRole("alert");
    await visible(refused);
    expect((await refused.textContent())?.trim()).not.toBe("");
    expect(await refused.textContent()).not.toContain("sk_test_not_a_key");

    // Keyboard only: the key field has the focus; Tab reaches the Connect button and Enter presses it.
    const secretKey = service.stripe.mintToken();
    await key.fill(secretKey);
    await key.focus();
    await page.keyboard.press("Tab");
    expect(
      await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent),
    ).toBe("Connect");
    await page.keyboard.press("Enter");
    await visible(card.getByRole("status").getByText("Connected Stripe."));
    await visible(card.locator('.badge[data-status="ok"]'));
    expect(await page.content()).not.toContain(secretKey);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "connections");

    // Test asks the provider with this connection; Disconnect asks first, then removes it.
    await card.getByRole("button", { name: "Test" }).click();
    await visible(card.getByText(/^Test passed/));
    await card.getByRole("button", { name: "Disconnect" }).click();
    const confirm = card.getByRole("button", { name: "Yes, disconnect" });
    await visible(confirm);
    // The page moves the focus once the confirmation has rendered, a moment after it shows.
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent))
      .toBe("Yes, disconnect");
    await confirm.click();
    await visible(card.getByRole("status").getByText(/^Disconnected/));
    await visible(card.getByText("not connected"));
  });

  it("shows a polling trigger degraded while its provider keeps failing, and retries a dead-lettered delivery", async () => {
    const { page } = alice;
    const { github, t, clock } = service;
    const token = github.mintToken({ login: "octocat", scopes: ["repo"] });
    const connected = await t.call("POST", "/api/integrations/github/connections", {
      body: { accessToken: token },
      user: "user-a",
    });
    expect(connected.status).toBe(201);
    const workflowId = await createWorkflow({
      name: "Issues changed",
      trigger: { key: "github.issueUpdated", inputs: { owner: OWNER, repo: REPO } },
      steps: [
        {
          id: "announce",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: "C01GENERAL", text: "#{{trigger.number}} {{trigger.title}}" },
        },
      ],
    });
    await t.server.workflowPolls.poll();

    await page.getByRole("link", { name: "Triggers" }).click();
    await visible(heading(page).getByText("Triggers"));
    // The focus moves to the new page's heading (before paint; polled, as a loaded browser may report it late).
    await poll(() =>
      page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.tagName),
    ).toBe("H1");
    const row = page.locator("tr", { hasText: `workflow ${workflowId}` });
    await visible(row.locator('.badge[data-status="ok"]'));

    // The token is revoked at GitHub: three intervals of failed polls, and the trigger is degraded.
    github.revokeToken(token);
    for (let minute = 1; minute <= 3; minute++) {
      clock.advance(MINUTE);
      await t.server.workflowPolls.poll();
    }
    await page.getByRole("button", { name: "Refresh" }).click();
    await visible(row.getByText("degraded"));
    await visible(row.getByText("3 failures in a row"));
    await visible(row.locator(".error-type", { hasText: "auth" }));

    // A delivery the job's trigger cannot read is dead at once (one attempt); it is listed with its error.
    const poison = await deliver(t.url, { kind: "opened", number: "seven" }, `poison-${randomUUID()}`, {
      secret: SECRET,
    });
    expect(poison.status).toBe(200);
    const dead = page.locator("tr", { hasText: "issue number missing" });
    await poll(async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.getByRole("status").getByText("Refreshed.").waitFor();
      return dead.count();
    }).toBe(1);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "triggers");

    cured = true;
    await dead.getByRole("button", { name: /Retry/ }).click();
    await visible(page.getByRole("status").getByText(/queued again/));
    await visible(page.getByText("No dead-lettered deliveries."));
    await poll(async () => recorded.includes("seven")).toBe(true);

    // The retried delivery ran the code job: its run is listed with the code jobs' runs, and its task shown.
    await page.getByRole("link", { name: "Runs" }).click();
    await page.getByLabel("Kind").selectOption("job");
    const jobRun = page.locator("tr", { hasText: "record-number" });
    await visible(jobRun.locator('.badge[data-status="completed"]'));
    await jobRun.first().getByRole("link").click();
    await visible(heading(page).getByText("Job run"));
    await visible(page.locator("li.task", { hasText: "record" }).locator('.badge[data-status="completed"]'));
    await expectNoSeriousAxeViolations(page);
  });

  it("watches a workflow run live: a rate-limited task waits, retries and finishes without a reload", async () => {
    const { page } = alice;
    const { t, slack, clock } = service;
    const workflowId = await createWorkflow({
      name: "Say hello",
      steps: [
        {
          id: "hello",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: "C01GENERAL", text: "Hello from the dashboard test" },
        },
      ],
    });
    // Slack answers 429 with Retry-After until the faults are cleared; the task's wait is held on the service's
    // clock, so the page can be read while the task waits.
    clock.hold();
    await slack.injectFault("rate-limited");
    const started = await t.call("POST", `/api/workflows/${workflowId}/runs`, { user: "user-a" });
    expect(started.status).toBe(202);
    runId = (started.json as { runId: string }).runId;

    await page.getByRole("link", { name: "Runs" }).click();
    await visible(heading(page).getByText("Runs"));
    const listed = page.locator(`tr[data-run-id="${runId}"]`);
    await visible(listed);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "runs");
    await listed.getByRole("link").click();
    await visible(heading(page).getByText("Workflow run"));
    await page.evaluate(() => {
      (globalThis as unknown as InPage).notReloaded = true;
    });

    // The step's task, at the top of the timeline (the provider call under it is nested).
    const task = page.locator(`li.task[data-task-id="hello"]`);
    await visible(task.locator('.badge[data-status="waiting"]'));
    const attempt = task.locator('.attempt[data-error-type="rate-limit"]');
    await visible(attempt);
    await visible(attempt.getByText("waited until"));
    await visible(task.getByText("Retrying at"));
    await visible(page.getByText("Live: this page updates as the run goes."));
    await expectNoSeriousAxeViolations(page);

    await slack.clearFaults();
    clock.release();
    await visible(page.locator('.run-status .badge[data-status="completed"]'));
    await visible(task.locator('.badge[data-status="completed"]'));
    // The provider call under the step was retried once: its second attempt succeeded.
    await visible(task.locator('[data-attempts="2"]'));
    await visible(attempt);
    await visible(task.locator("pre.output"));
    expect(await page.evaluate(() => (globalThis as unknown as InPage).notReloaded)).toBe(true);
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "run");
  });

  it("cancels a running run from its page", async () => {
    const { page } = alice;
    const { t, slack, clock } = service;
    const workflowId = await createWorkflow({
      name: "Held by a rate limit",
      steps: [
        {
          id: "held",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: "C01GENERAL", text: "This one is cancelled" },
        },
      ],
    });
    clock.hold();
    await slack.injectFault("rate-limited");
    const started = await t.call("POST", `/api/workflows/${workflowId}/runs`, { user: "user-a" });
    const cancelledId = (started.json as { runId: string }).runId;
    await page.goto(`${service.url}/runs/${cancelledId}`);
    await visible(page.locator('li.task .badge[data-status="waiting"]'));

    await page.getByRole("button", { name: "Cancel run" }).click();
    await visible(page.locator('.run-status .badge[data-status="cancelled"]'));
    await visible(page.getByRole("status").getByText(/Run cancelled|Cancelling/));
    expect(await page.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
    await slack.clearFaults();
    clock.release();
  });

  it("shows another user none of it, and the first user's run as not found", async () => {
    const bob = await openUserPage(browser, { width: 375, height: 740 });
    users.push(bob);
    const { page } = bob;
    await service.signIn(bob, "user-b", "/connections");
    await visible(page.getByRole("region", { name: "Slack" }).getByText("not connected"));
    expect(await page.locator(".connection").count()).toBe(0);
    expect(await page.locator(".health").count()).toBe(0);
    await expectNoHorizontalScroll(page);

    await page.getByRole("link", { name: "Triggers" }).click();
    await visible(page.getByText("No triggers"));
    await visible(page.getByText("No dead-lettered deliveries."));
    await page.getByRole("link", { name: "Runs" }).click();
    await visible(page.getByText("No runs yet."));
    await expectNoSeriousAxeViolations(page);

    await page.goto(`${service.url}/runs/${runId}`);
    await visible(page.getByRole("alert").getByText("Run not found"));
    expect(await page.content()).not.toContain("Hello from the dashboard test");
    await expectNoSeriousAxeViolations(page);
  });

  it("fits a 375-px-wide screen on every page", async () => {
    const { page } = alice;
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ["/connections", "/triggers", "/runs", `/runs/${runId}`]) {
      await page.goto(`${service.url}${path}`);
      await visible(page.locator("h1"));
      await page.waitForLoadState("networkidle");
      await expectNoHorizontalScroll(page);
    }
    await screenshot(page, "run-375px");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("signs out", async () => {
    const { page } = alice;
    await page.goto(`${service.url}/connections`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await visible(page.getByRole("heading", { name: "Sign in to AutoFlow" }));
    await page.reload();
    await visible(page.getByRole("heading", { name: "Sign in to AutoFlow" }));
  });

  it("reported no console error, page error or server error on any page", () => {
    for (const user of users) expectNoPageProblems(user);
  });
});
