import type { Browser, Dialog, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

// The workflow builder in Chromium against the service and the emulators: one browser and one service for the
// file. Workflows are built in the page; the API is read only to check what the page stored.
afterAll(removeTempDirs);

const OWNER = "octo-org";
const REPO = "hello";
const CHANNEL = "C01GENERAL";
/** The emulator's seeded issue in octo-org/hello. */
const ISSUE = 1;

const POLL = { timeout: PAGE_TIMEOUT_MS, interval: 50 };
const activeText = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.textContent ?? "");
const activeTag = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.tagName ?? "");

/**
 * Opens `path` of the app: straight from the address bar when the service answers the app's shell for it,
 * otherwise from the app's root through its router (the address bar changes the same way). A builder left with
 * unsaved edits asks first (`beforeunload`): open leaves it, as a user who chose to.
 */
async function open(page: Page, base: string, path: string): Promise<void> {
  const leave = (dialog: Dialog) => {
    if (dialog.type() === "beforeunload") void dialog.accept();
  };
  page.on("dialog", leave);
  const answer = await page.goto(`${base}${path}`).finally(() => page.off("dialog", leave));
  if (answer?.headers()["content-type"]?.startsWith("text/html")) return;
  await page.goto(`${base}/`);
  await page.locator("nav").waitFor();
  await page.evaluate((to) => {
    const { history, dispatchEvent } = globalThis as unknown as {
      history: { pushState(state: null, title: string, url: string): void };
      dispatchEvent(event: unknown): void;
    };
    history.pushState(null, "", to);
    dispatchEvent(
      new (globalThis as unknown as { PopStateEvent: new (type: string) => unknown }).PopStateEvent(
        "popstate",
      ),
    );
  }, path);
}

/**
 * Reloads the page from inside it (`location.reload()`), as a user's reload does: Playwright's `page.reload()` goes
 * through the debugging protocol, and Chromium then does not ask the page's `beforeunload`.
 */
async function reloadFromPage(page: Page): Promise<void> {
  const loaded = page.waitForEvent("load");
  await page.evaluate(() => {
    const { setTimeout, location } = globalThis as unknown as {
      setTimeout(run: () => void, ms: number): void;
      location: { reload(): void };
    };
    // Later, not now: a reload the page's `beforeunload` holds would hold this evaluation too.
    setTimeout(() => location.reload(), 0);
  });
  await loaded;
}

/** A step of the builder, by its heading (`Step 1: Send message`). */
const stepCard = (page: Page, index: number) => page.locator("li.step").nth(index);
/** A top-level input of a form, by the schema's property name (its label, with " (required)" when required). */
const input = (scope: Locator, name: string) => scope.getByLabel(new RegExp(`^${name}( \\(required\\))?$`));

/** The error message a field's input names in its `aria-describedby` (rjsf's `<id>__error`). */
async function errorOf(page: Page, field: Locator): Promise<Locator> {
  const describedBy = (await field.getAttribute("aria-describedby")) ?? "";
  const id = describedBy.split(" ").find((one) => one.endsWith("__error")) ?? "none";
  return page.locator(`[id="${id}"]`);
}

/** Opens the add-step menu, searches, and picks the action whose key is `key`. */
async function addStep(page: Page, search: string, key: string): Promise<void> {
  await page.getByRole("button", { name: "Add a step" }).click();
  await page.getByLabel("Search actions").fill(search);
  await page.getByRole("button", { name: new RegExp(key.replace(".", "\\.")) }).click();
}

/** Opens a field's reference picker and picks `path`. */
async function insertReference(scope: Locator, field: string, path: string): Promise<void> {
  await scope.getByRole("button", { name: `Insert reference into ${field}` }).click();
  await scope.getByRole("button", { name: path, exact: true }).click();
}

describe("the workflow builder in a browser", { timeout: 60_000 }, () => {
  let browser: Browser;
  let service: DashboardService;
  let alice: UserPage;
  let bob: UserPage;
  let builtId = "";

  beforeAll(async () => {
    [browser, service] = await Promise.all([launchChromium(), startDashboardService()]);
    const { t, slack, github } = service;
    // The user's connections, through the service's API: the trigger's scope is checked with the GitHub one.
    for (const [provider, accessToken] of [
      ["slack", slack.mintToken()],
      ["github", github.mintToken({ login: "octocat", scopes: ["repo"] })],
    ] as const) {
      const connected = await t.call("POST", `/api/integrations/${provider}/connections`, {
        body: { accessToken },
        user: "user-a",
      });
      expect(connected.status, connected.text).toBe(201);
    }
    alice = await openUserPage(browser);
    await service.signIn(alice, "user-a", "/connections");
    await alice.page.getByRole("link", { name: "Workflows" }).click();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const workflowsOf = async (user: string) =>
    ((await service.t.call("GET", "/api/workflows", { user })).json as { workflows: { id: string }[] })
      .workflows;

  it("builds a triggered two-step workflow with references, saves it, runs it once and shows both steps completed", async () => {
    const { page } = alice;
    await visible(page.getByRole("heading", { name: "Workflows", level: 1 }));
    await visible(page.getByText("No workflows yet"));
    await page.getByRole("link", { name: "New workflow" }).click();
    await visible(page.getByRole("heading", { name: "New workflow", level: 1 }));

    await page.getByLabel("Name").fill("Triage new issues");
    await page.getByLabel("What starts a run").selectOption("github.issueOpened");
    const trigger = page.getByRole("region", { name: "Trigger" });
    await input(trigger, "owner").fill(OWNER);
    await input(trigger, "repo").fill(REPO);

    // The menu lists the catalogue by provider; the Stripe group says there is no connection yet.
    await page.getByRole("button", { name: "Add a step" }).click();
    await visible(page.getByRole("link", { name: "Connect Stripe" }));
    await page.getByRole("button", { name: "Add a step" }).click();

    await addStep(page, "message", "slack.sendMessage");
    const announce = stepCard(page, 0);
    await visible(announce.getByRole("heading", { name: "Step 1: Send message" }));
    await expect.poll(() => activeTag(page), POLL).toBe("H2");
    await input(announce, "channel").fill(CHANNEL);
    await input(announce, "text").fill("New issue:");
    await insertReference(announce, "text", "trigger.issue.title");
    await visible(
      announce.getByRole("list", { name: "References in text" }).getByText("trigger.issue.title"),
    );
    expect(await input(announce, "text").inputValue()).toBe("New issue: {{trigger.issue.title}}");

    await addStep(page, "comment", "github.createComment");
    const comment = stepCard(page, 1);
    await visible(comment.getByRole("heading", { name: "Step 2: Comment on issue" }));
    await input(comment, "owner").fill(OWNER);
    await input(comment, "repo").fill(REPO);
    // A number input takes a whole-value reference: a chip in place of the input.
    await insertReference(comment, "issue_number", "trigger.issue.number");
    await visible(comment.getByRole("list", { name: "issue_number takes a reference" }));
    // The input gave way to the chip: the chip's remove button has the focus.
    await expect.poll(() => activeText(page), POLL).toBe("×");
    await input(comment, "body").fill("Announced in Slack");
    await insertReference(comment, "body", "steps.sendMessage.output.ts");

    // The first step is offered the trigger's payload only: never its own output nor a later step's.
    await announce.getByRole("button", { name: "Insert reference into text" }).click();
    const offered = announce.getByRole("group", { name: "References for text" });
    await visible(offered.getByRole("button", { name: "trigger.issue.number" }));
    expect(await offered.getByRole("button", { name: /^steps\./ }).count()).toBe(0);
    await page.keyboard.press("Escape");
    await expect.poll(() => activeText(page), POLL).toContain("Insert reference");

    await expectNoSeriousAxeViolations(page, "the builder, filled in");
    await screenshot(page, "builder");
    await page.getByRole("button", { name: "Create workflow" }).click();
    await page.waitForURL(/\/workflows\/wf_/);
    builtId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
    await visible(page.getByRole("heading", { name: "Edit workflow", level: 1 }));

    const stored = await service.t.call("GET", `/api/workflows/${builtId}`, { user: "user-a" });
    expect(stored.json).toMatchObject({
      name: "Triage new issues",
      trigger: { key: "github.issueOpened", inputs: { owner: OWNER, repo: REPO } },
      steps: [
        {
          id: "sendMessage",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: CHANNEL, text: "New issue: {{trigger.issue.title}}" },
        },
        {
          id: "createComment",
          action: "github.createComment",
          credentialId: "github",
          inputs: {
            owner: OWNER,
            repo: REPO,
            issue_number: { $ref: "trigger.issue.number" },
            body: "Announced in Slack {{steps.sendMessage.output.ts}}",
          },
        },
      ],
    });

    // Run once: a payload that is not JSON is refused on its field; a JSON one starts a run, shown in the run view.
    const payload = page.getByLabel(/^Test payload/);
    await payload.fill("{ not json");
    await page.getByRole("button", { name: "Run once" }).click();
    await visible(page.getByText(/The test payload is not JSON/));
    await payload.fill(JSON.stringify({ issue: { number: ISSUE, title: "Found a bug" } }));
    await page.getByRole("button", { name: "Run once" }).click();
    await page.waitForURL(/\/runs\/run_/);
    await visible(page.locator('.run-status .badge[data-status="completed"]'));
    for (const step of ["sendMessage", "createComment"])
      await visible(page.locator("li.task", { hasText: step }).locator('.badge[data-status="completed"]'));
    expect(service.slack.history(CHANNEL).map((m) => m.text)).toContain("New issue: Found a bug");
    const comments = service.github.state.repo(OWNER, REPO)?.issues.find((i) => i.number === ISSUE)?.comments;
    expect(comments?.map((c) => c.body).at(-1)).toMatch(/^Announced in Slack \d+\.\d+\b/);
    expectNoPageProblems(alice);
  });

  it("shows the API's message on an empty required field, and saves nothing", async () => {
    const { page } = alice;
    const before = await workflowsOf("user-a");
    await open(page, service.url, "/workflows/new");
    await addStep(page, "message", "slack.sendMessage");
    const step = stepCard(page, 0);
    await input(step, "channel").fill(CHANNEL);
    await page.getByRole("button", { name: "Create workflow" }).click();
    await visible(page.getByRole("alert").getByText(/was not saved/));
    const error = await errorOf(page, input(step, "text"));
    await visible(error);
    expect(await error.textContent()).toContain("Too small: expected string to have >=1 characters");
    expect(new URL(page.url()).pathname).toBe("/workflows/new");
    expect(await workflowsOf("user-a")).toEqual(before);
    await expectNoSeriousAxeViolations(page, "the builder with a refused field");
  });

  it("shows the API's scope check on the trigger's field: a repository the connection cannot see", async () => {
    const { page } = alice;
    const before = await workflowsOf("user-a");
    await open(page, service.url, "/workflows/new");
    await page.getByLabel("What starts a run").selectOption("github.issueOpened");
    const trigger = page.getByRole("region", { name: "Trigger" });
    await input(trigger, "owner").fill(OWNER);
    await input(trigger, "repo").fill("payroll");
    await addStep(page, "message", "slack.sendMessage");
    await input(stepCard(page, 0), "channel").fill(CHANNEL);
    await input(stepCard(page, 0), "text").fill("Hello");
    await page.getByRole("button", { name: "Create workflow" }).click();
    const error = await errorOf(page, input(trigger, "repo"));
    await visible(error);
    expect(await error.textContent()).toContain("cannot see octo-org/payroll");
    expect(await workflowsOf("user-a")).toEqual(before);
  });

  it("offers no reference to a later step, and shows the API's problem on a hand-typed one", async () => {
    const { page } = alice;
    const before = await workflowsOf("user-a");
    await open(page, service.url, "/workflows/new");
    await addStep(page, "message", "slack.sendMessage");
    await addStep(page, "comment", "github.createComment");
    const first = stepCard(page, 0);
    // No trigger and no earlier step: the first step has nothing to reference.
    expect(await first.getByRole("button", { name: /^Insert reference/ }).count()).toBe(0);
    await input(first, "channel").fill(CHANNEL);
    await input(first, "text").fill("Comment {{steps.createComment.output.url}}");
    const second = stepCard(page, 1);
    await input(second, "owner").fill(OWNER);
    await input(second, "repo").fill(REPO);
    await input(second, "issue_number").fill(String(ISSUE));
    await input(second, "body").fill("Hello");
    await page.getByRole("button", { name: "Create workflow" }).click();
    await visible(page.getByRole("alert").getByText(/was not saved/));
    const error = await errorOf(page, input(first, "text"));
    await visible(error);
    expect(await error.textContent()).toContain(
      'references step "createComment", but step "createComment" runs after',
    );
    expect(await workflowsOf("user-a")).toEqual(before);
  });

  it("creates a one-step workflow with the keyboard only", async () => {
    const { page } = alice;
    const before = await workflowsOf("user-a");
    await open(page, service.url, "/workflows/new");
    await visible(page.getByLabel("Name"));
    await page.getByLabel("Name").focus();
    await page.keyboard.type("Keyboard only");
    // Tab to the add-step menu, search, arrow down to the first action, Enter.
    const tabTo = async (text: string, most = 60) => {
      for (let i = 0; i < most && !(await activeText(page)).startsWith(text); i++)
        await page.keyboard.press("Tab");
      await expect.poll(() => activeText(page), POLL).toContain(text);
    };
    await tabTo("Add a step");
    await page.keyboard.press("Enter");
    await expect.poll(() => activeTag(page), POLL).toBe("INPUT");
    await page.keyboard.type("send message");
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => activeText(page), POLL).toContain("Send message");
    await page.keyboard.press("Enter");
    await expect.poll(() => activeText(page), POLL).toBe("Step 1: Send message");
    const step = stepCard(page, 0);
    await tabTo("Remove");
    // Step id, credential, then the form's fields in order.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type(CHANNEL);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Typed with the keyboard");
    expect(await input(step, "channel").inputValue()).toBe(CHANNEL);
    expect(await input(step, "text").inputValue()).toBe("Typed with the keyboard");
    await tabTo("Create workflow");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/workflows\/wf_/);
    const after = await workflowsOf("user-a");
    expect(after.length).toBe(before.length + 1);
    expect(after.find((w) => !before.some((b) => b.id === w.id))).toMatchObject({
      name: "Keyboard only",
      steps: [
        {
          id: "sendMessage",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: CHANNEL, text: "Typed with the keyboard" },
        },
      ],
    });
  });

  it("opens a workflow created over the API and saves it back as the same JSON", async () => {
    const { page } = alice;
    const definition = {
      name: "Made over the API",
      trigger: { key: "github.issueOpened", inputs: { owner: OWNER, repo: REPO } },
      steps: [
        {
          id: "announce",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: CHANNEL, text: "#{{trigger.issue.number}} {{trigger.issue.title}}" },
        },
        {
          id: "link",
          action: "github.createComment",
          credentialId: "github",
          inputs: {
            owner: OWNER,
            repo: REPO,
            issue_number: { $ref: "trigger.issue.number" },
            body: "Announced in Slack ({{steps.announce.output.ts}})",
          },
        },
      ],
    };
    const created = await service.t.call("POST", "/api/workflows", { body: definition, user: "user-a" });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { id: string }).id;

    const bodies: unknown[] = [];
    page.on("request", (request) => {
      if (request.method() === "PUT" && request.url().endsWith(`/api/workflows/${id}`))
        bodies.push(request.postDataJSON());
    });
    await open(page, service.url, "/workflows");
    await page.getByRole("link", { name: "Made over the API" }).click();
    await visible(page.getByRole("heading", { name: "Edit workflow", level: 1 }));
    const announce = stepCard(page, 0);
    await visible(
      announce.getByRole("list", { name: "References in text" }).getByText("trigger.issue.title"),
    );
    await visible(stepCard(page, 1).getByRole("list", { name: "issue_number takes a reference" }));
    expect(await page.getByLabel("Name").inputValue()).toBe("Made over the API");
    await expectNoSeriousAxeViolations(page, "the builder, a workflow made over the API");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await visible(page.getByRole("status").getByText("Saved Made over the API."));
    expect(bodies).toEqual([definition]);
    const stored = (await service.t.call("GET", `/api/workflows/${id}`, { user: "user-a" })).json;
    expect(stored).toMatchObject(definition);
  });

  /** Creates `definition` over the API as user-a; answers its id. */
  const createWorkflow = async (definition: unknown): Promise<string> => {
    const created = await service.t.call("POST", "/api/workflows", { body: definition, user: "user-a" });
    expect(created.status, created.text).toBe(201);
    return (created.json as { id: string }).id;
  };

  it("asks before unsaved edits are lost: a reload, an in-app link (stay, then leave), and nothing once saved", async () => {
    const { page } = alice;
    const id = await createWorkflow({
      name: "Guarded",
      steps: [
        {
          id: "say",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: CHANNEL, text: "Hi" },
        },
      ],
    });
    await open(page, service.url, `/workflows/${id}`);
    const dialogs: string[] = [];
    const onDialog = (dialog: Dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    };
    page.on("dialog", onDialog);
    try {
      const name = page.getByLabel("Name");
      await visible(page.locator(".save-bar").getByText("Saved", { exact: true }));
      // A click gives the page the user activation a browser wants before it may ask on leaving.
      await name.click();
      await reloadFromPage(page);
      await visible(page.getByRole("heading", { name: "Edit workflow", level: 1 }));
      expect(dialogs, "no prompt while nothing is unsaved").toEqual([]);

      await name.fill("Guarded, edited");
      await visible(page.getByText("Unsaved changes"));
      // Typing the saved name back is not an unsaved change.
      await name.fill("Guarded");
      await visible(page.locator(".save-bar").getByText("Saved", { exact: true }));
      await name.fill("Guarded, edited");
      await visible(page.getByText("Unsaved changes"));
      await reloadFromPage(page);
      await visible(page.getByRole("heading", { name: "Edit workflow", level: 1 }));
      expect(dialogs).toEqual(["beforeunload"]);
      expect(await name.inputValue()).toBe("Guarded");
    } finally {
      page.off("dialog", onDialog);
    }

    // An in-app link: the dialog asks, with the focus on staying; staying keeps the edits.
    const name = page.getByLabel("Name");
    await name.fill("Guarded, edited");
    await visible(page.getByText("Unsaved changes"));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    const question = page.getByRole("dialog", { name: "Leave without saving?" });
    await visible(question);
    await expect.poll(() => activeText(page), POLL).toBe("Stay on this page");
    await expectNoSeriousAxeViolations(page, "the builder asking before leaving");
    await question.getByRole("button", { name: "Stay on this page" }).click();
    await question.waitFor({ state: "hidden" });
    expect(new URL(page.url()).pathname).toBe(`/workflows/${id}`);
    expect(await name.inputValue()).toBe("Guarded, edited");
    await expect.poll(() => activeText(page), POLL).toBe("Workflows");

    // Leaving discards them: the stored workflow is as it was.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    await question.getByRole("button", { name: "Leave without saving" }).click();
    await visible(page.getByRole("heading", { name: "Workflows", level: 1 }));
    const stored = await service.t.call("GET", `/api/workflows/${id}`, { user: "user-a" });
    expect(stored.json).toMatchObject({ name: "Guarded" });

    // Back to the workflows list (an in-app history entry): asks too, and staying puts the address back.
    await page.getByRole("link", { name: "Guarded", exact: true }).click();
    // The stored workflow is loaded (a fill before it would be overwritten), and the edit is seen as unsaved,
    // before going back: on a loaded machine either can lag the step before it.
    await visible(page.locator(".save-bar").getByText("Saved", { exact: true }));
    await name.fill("Guarded, saved");
    await visible(page.getByText("Unsaved changes"));
    await page.goBack();
    await question.getByRole("button", { name: "Stay on this page" }).click();
    expect(new URL(page.url()).pathname).toBe(`/workflows/${id}`);
    expect(await name.inputValue()).toBe("Guarded, saved");

    // Saved: nothing asks.
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await visible(page.getByRole("status").getByText("Saved Guarded, saved."));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    await visible(page.getByRole("heading", { name: "Workflows", level: 1 }));
    expect(await page.getByRole("dialog").count()).toBe(0);
    expectNoPageProblems(alice);
  });

  it("renames a step and the references to it, refuses a taken or invalid id, and the saved run resolves them", async () => {
    const { page } = alice;
    const id = await createWorkflow({
      name: "Renamed",
      trigger: { key: "github.issueOpened", inputs: { owner: OWNER, repo: REPO } },
      steps: [
        {
          id: "announce",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: CHANNEL, text: "Renamed: {{trigger.issue.title}}" },
        },
        {
          id: "link",
          action: "github.createComment",
          credentialId: "github",
          inputs: {
            owner: OWNER,
            repo: REPO,
            issue_number: { $ref: "trigger.issue.number" },
            body: "Announced in {{steps.announce.output.channel}} ({{ steps.announce.output.ts }})",
          },
        },
      ],
    });
    await open(page, service.url, `/workflows/${id}`);
    const first = stepCard(page, 0);
    const stepId = first.getByLabel("Step id");
    await stepId.fill("post");
    await page.keyboard.press("Tab");
    await visible(
      page.getByRole("status").getByText("Renamed step announce to post: 2 references to it updated."),
    );
    expect(await input(stepCard(page, 1), "body").inputValue()).toBe(
      "Announced in {{steps.post.output.channel}} ({{ steps.post.output.ts }})",
    );
    await visible(
      stepCard(page, 1).getByRole("list", { name: "References in body" }).getByText("steps.post.output.ts"),
    );

    // Another step's id, or one a reference could not name: refused on the field, which keeps the id it had.
    await stepId.fill("link");
    await stepId.press("Enter");
    await visible(first.getByText('Step 2 already has the id "link": pick another.'));
    expect(await stepId.inputValue()).toBe("post");
    await stepId.fill("two words");
    await page.keyboard.press("Tab");
    await visible(first.getByText(/"two words" is not a step id/));
    expect(await stepId.inputValue()).toBe("post");
    expect(await input(stepCard(page, 1), "body").inputValue()).toContain("steps.post.output.ts");
    await expectNoSeriousAxeViolations(page, "the builder, a rename refused");

    await page.getByRole("button", { name: "Save", exact: true }).click();
    await visible(page.getByRole("status").getByText("Saved Renamed."));
    const stored = await service.t.call("GET", `/api/workflows/${id}`, { user: "user-a" });
    expect(stored.json).toMatchObject({
      steps: [
        { id: "post" },
        {
          id: "link",
          inputs: { body: "Announced in {{steps.post.output.channel}} ({{ steps.post.output.ts }})" },
        },
      ],
    });

    await page
      .getByLabel(/^Test payload/)
      .fill(JSON.stringify({ issue: { number: ISSUE, title: "Renamed bug" } }));
    await page.getByRole("button", { name: "Run once" }).click();
    await page.waitForURL(/\/runs\/run_/);
    await visible(page.locator('.run-status .badge[data-status="completed"]'));
    const comments = service.github.state.repo(OWNER, REPO)?.issues.find((i) => i.number === ISSUE)?.comments;
    expect(comments?.map((c) => c.body).at(-1)).toMatch(
      new RegExp(`^Announced in ${CHANNEL} \\(\\d+\\.\\d+\\)`),
    );
    expectNoPageProblems(alice);
  });

  it("renames a step whose id is typed and left in one go, before the page renders again", async () => {
    const { page } = alice;
    const id = await createWorkflow({
      name: "Renamed at once",
      trigger: { key: "github.issueOpened", inputs: { owner: OWNER, repo: REPO } },
      steps: [
        {
          id: "announce",
          action: "slack.sendMessage",
          credentialId: "slack",
          inputs: { channel: CHANNEL, text: "Opened: {{trigger.issue.title}}" },
        },
      ],
    });
    await open(page, service.url, `/workflows/${id}`);
    const stepId = stepCard(page, 0).getByLabel("Step id");
    await visible(stepId);
    // Input and blur in one task, as a fast typist or a loaded browser can deliver them: nothing renders in between.
    await stepId.evaluate((field) => {
      const element = field as unknown as {
        value: string;
        dispatchEvent(event: unknown): void;
      };
      const { Event, FocusEvent } = globalThis as unknown as {
        Event: new (type: string, init?: object) => unknown;
        FocusEvent: new (type: string, init?: object) => unknown;
      };
      element.value = "post";
      element.dispatchEvent(new Event("input", { bubbles: true }));
      // What leaving a field fires (preact/compat, loaded for the form library, listens for `focusout`).
      element.dispatchEvent(new FocusEvent("blur"));
      element.dispatchEvent(new FocusEvent("focusout", { bubbles: true }));
    });
    await visible(
      page.getByRole("status").getByText("Renamed step announce to post: 0 references to it updated."),
    );
    expect(await stepId.inputValue()).toBe("post");
    expectNoPageProblems(alice);
  });

  it("lists the workflows: opens one, runs one once, deletes one after a confirm, and fits a phone", async () => {
    const { page } = alice;
    await open(page, service.url, "/workflows");
    const row = page.locator("tr", { hasText: "Keyboard only" });
    await row.getByRole("button", { name: "Delete Keyboard only" }).click();
    const confirm = row.getByRole("button", { name: "Yes, delete" });
    await visible(confirm);
    await expect.poll(() => activeText(page), POLL).toBe("Yes, delete");
    await confirm.click();
    await visible(page.getByRole("status").getByText("Deleted Keyboard only."));
    expect(await page.locator("tr", { hasText: "Keyboard only" }).count()).toBe(0);
    await expectNoSeriousAxeViolations(page, "the workflows list");
    await screenshot(page, "builder-workflows");

    await page.locator("tr", { hasText: "Triage new issues" }).getByRole("button", { name: /^Run/ }).click();
    await page.waitForURL(/\/runs\/run_/);
    await visible(page.locator(".run-status .badge"));

    const phone = await openUserPage(browser, { width: 375, height: 740 });
    await service.signIn(phone, "user-a", "/connections");
    await open(phone.page, service.url, `/workflows/${builtId}`);
    await visible(stepCard(phone.page, 1));
    await expectNoHorizontalScroll(phone.page);
    await screenshot(phone.page, "builder-375px");
    await phone.context.close();
    expectNoPageProblems(alice);
  });

  it("shows another user none of it", async () => {
    bob = await openUserPage(browser);
    await service.signIn(bob, "user-b", "/connections");
    const { page } = bob;
    await open(page, service.url, "/workflows");
    await visible(page.getByText("No workflows yet"));
    await open(page, service.url, `/workflows/${builtId}`);
    await visible(page.getByRole("alert"));
    expect(await page.getByRole("alert").textContent()).toMatch(/no such workflow/i);
    expect(await page.locator("li.step").count()).toBe(0);
    await expectNoSeriousAxeViolations(page, "another user's workflow");
    expectNoPageProblems(bob);
  });
});
