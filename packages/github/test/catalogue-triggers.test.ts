import {
  createActionRegistry,
  type TriggerMetadata,
  validateWorkflow,
  type WorkflowTrigger,
} from "@autoflow/actions";
import { catalogueHarness, startIntake, type WebhookIntake } from "@autoflow/actions/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGithubWebhookVerifier, createOctokit } from "../src/index";
import { githubProvider } from "../src/provider";

// Real deliveries: the emulator changes state through Octokit's calls and POSTs signed webhooks to core's
// intake over loopback; the catalogue's triggers must match them exactly as the provider factories do.
const github = new GithubEmulator();
const GITHUB_SECRET = "catalogue-github-secret";
let githubIntake: WebhookIntake;
let token: string;

const REPO = { owner: "octo-org", repo: "hello" };
// Registrations go through the emulator's API, as the service derives it from AUTOFLOW_GITHUB_API_URL.
const { registry, build, matching, payloadSchemaOf } = catalogueHarness(githubProvider.triggers, () => ({
  providers: { github: { ...githubProvider.clientOptions({ apiUrl: github.url }), timeoutMs: 5_000 } },
}));

beforeAll(async () => {
  await github.start();
  token = github.mintToken({ login: "octocat" });
  githubIntake = await startIntake(createGithubWebhookVerifier({ secrets: [GITHUB_SECRET] }));
  // Each repository trigger registers its own hook through the catalogue, with the service's secret.
  for (const key of ["github.issueOpened", "github.push", "github.pullRequest"]) {
    const registration = build({ key, inputs: REPO }).registration;
    if (!registration) throw new Error(`${key} for one repository has no registration`);
    await registration.register({
      url: githubIntake.url,
      auth: { type: "oauth2", accessToken: token },
      secret: GITHUB_SECRET,
    });
  }
});
afterAll(async () => {
  await github.stop();
  await githubIntake?.close();
});

async function githubDelivery(event: string, where: (payload: Record<string, unknown>) => boolean) {
  await github.awaitDeliveries();
  const found = (await githubIntake.deliveries()).find(
    (delivery) => delivery.event === event && where(delivery.payload as Record<string, unknown>),
  );
  if (!found) throw new Error(`no ${event} delivery reached the intake`);
  return found;
}

describe("GitHub catalogue trigger inputs", () => {
  it("lists issue opened, push and pull request, with an owner required and an optional repository for issues", () => {
    expect(registry.keys).toEqual([
      "github.issueOpened",
      "github.push",
      "github.pullRequest",
      "github.newStar",
      "github.issueUpdated",
    ]);
    expect(registry.list()[0]).toMatchObject({
      key: "github.issueOpened",
      name: "New GitHub issue",
      provider: "github",
      description: expect.any(String),
      inputSchema: { type: "object", properties: { owner: { type: "string" }, repo: { type: "string" } } },
    } satisfies Partial<TriggerMetadata>);
    // The owner scopes the event to a tenant: a workflow is checked against the user's connection with it.
    expect(registry.list()[0]?.inputSchema).toMatchObject({ required: ["owner"] });
  });

  it("titles a repository's trigger, and registers no hook for one without a repository", () => {
    expect(build({ key: "github.issueOpened", inputs: REPO })).toMatchObject({
      kind: "webhook",
      provider: "github",
      key: "github.issueOpened",
      title: "GitHub: issue opened in octo-org/hello",
    });
    expect(build({ key: "github.issueOpened", inputs: { owner: "octo-org" } }).registration).toBeUndefined();
  });

  it("a workflow's references into an issue's payload: loose objects take unlisted fields, lists are indexed", () => {
    const actions = createActionRegistry(githubProvider.actions);
    const check = (body: string) => () =>
      validateWorkflow(
        {
          id: "wf",
          trigger: { key: "github.issueOpened", inputs: { owner: "octo-org" } },
          steps: [
            {
              id: "comment",
              action: "github.createComment",
              inputs: { ...REPO, issue_number: { $ref: "trigger.issue.number" }, body },
            },
          ],
        },
        actions,
        registry,
      );
    expect(check("{{trigger.issue.html_url}} {{trigger.issue.labels.0.name}}")).not.toThrow();
    // GitHub's payloads carry far more than the schema lists: loose objects accept fields they do not name.
    expect(check("{{trigger.issue.reactions.total_count}}")).not.toThrow();
    expect(check("{{trigger.issue.labels.name}} {{trigger.issue.number.n}}")).toThrow(
      "steps.0.inputs.body: trigger.issue.labels.name is not in the payload of github.issueOpened (trigger.issue.labels is a list: index it, e.g. trigger.issue.labels.0); " +
        "steps.0.inputs.body: trigger.issue.number.n is not in the payload of github.issueOpened (trigger.issue.number is a plain value with no fields)",
    );
  });

  it("github.pullRequest refuses an action GitHub does not send", () => {
    expect(() => build({ key: "github.pullRequest", inputs: { ...REPO, action: "merged" } })).toThrow(
      /^trigger\.inputs\.action: /,
    );
  });

  it("refuses a repository of the wrong type, and a repository without its owner", () => {
    expect(() => build({ key: "github.push", inputs: { owner: "octo-org", repo: 7 } })).toThrow(
      /^trigger\.inputs\.repo: /,
    );
    expect(() => build({ key: "github.issueOpened", inputs: { repo: "hello" } })).toThrow(
      /^trigger\.inputs\.owner: /,
    );
  });
});

describe("GitHub catalogue triggers on real emulator deliveries", () => {
  it("registers one hook per event on the repository, each delivering to the intake", () => {
    const hooks = github.state.repo("octo-org", "hello")?.hooks ?? [];
    const ours = hooks.filter((hook) => hook.config.url === githubIntake.url);
    expect(ours.map((hook) => hook.events).sort()).toEqual([["issues"], ["pull_request"], ["push"]]);
    expect(build({ key: "github.issueOpened", inputs: REPO }).registration?.key).toBe(
      "github:octo-org/hello:issues",
    );
  });

  it("github.issueOpened matches an issue opened in the repository, not another repository or owner", async () => {
    const title = `catalogue-${Math.random()}`;
    await createOctokit(token, { baseUrl: github.url }).rest.issues.create({ ...REPO, title });
    const delivery = await githubDelivery("issues", (p) => (p.issue as { title?: string }).title === title);
    expect(delivery).toMatchObject({ provider: "github", action: "opened" });

    const key = "github.issueOpened";
    const candidates: WorkflowTrigger[] = [
      { key, inputs: REPO },
      { key, inputs: { owner: "OCTO-ORG", repo: "Hello" } },
      { key, inputs: { owner: "octo-org" } },
      { key, inputs: { owner: "octo-org", repo: "other" } },
      { key, inputs: { owner: "octocat" } },
    ];
    expect(matching(delivery, candidates)).toEqual([
      REPO,
      { owner: "OCTO-ORG", repo: "Hello" },
      { owner: "octo-org" },
    ]);
    expect(build({ key: "github.push", inputs: REPO }).matches(delivery)).toBe(false);
    expect(build({ key: "github.pullRequest", inputs: REPO }).matches(delivery)).toBe(false);

    const trigger = build({ key, inputs: REPO });
    const parsed = payloadSchemaOf(key).safeParse(trigger.payloadOf(delivery));
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toMatchObject({ issue: { title }, repository: { full_name: "octo-org/hello" } });
  });

  it("the hook's ping and an issue edit start nothing", async () => {
    const ping = await githubDelivery("ping", () => true);
    const edited = async () => {
      const octokit = createOctokit(token, { baseUrl: github.url });
      const { data } = await octokit.rest.issues.create({ ...REPO, title: `to-edit-${Math.random()}` });
      await octokit.rest.issues.update({
        ...REPO,
        issue_number: data.number,
        title: `edited-${data.number}`,
      });
      return githubDelivery("issues", (p) => p.action === "edited");
    };
    const edit = await edited();
    const webhooks = registry.list().filter((t) => t.kind === "webhook");
    for (const { key } of webhooks) {
      const trigger = build({ key, inputs: REPO });
      expect(trigger.matches(ping)).toBe(false);
      expect(trigger.matches(edit)).toBe(false);
    }
  });

  it("github.pullRequest and github.push match an opened and merged pull request, by action and ref", async () => {
    const branch = `feature-${Math.random().toString(36).slice(2)}`;
    const repo = github.state.repo("octo-org", "hello");
    if (!repo) throw new Error("no octo-org/hello in the emulator");
    github.state.createBranch(repo, branch);
    const octokit = createOctokit(token, { baseUrl: github.url });
    const { data: pull } = await octokit.rest.pulls.create({
      ...REPO,
      title: branch,
      head: branch,
      base: "main",
    });
    await octokit.rest.pulls.merge({ ...REPO, pull_number: pull.number });

    const opened = await githubDelivery(
      "pull_request",
      (p) => p.action === "opened" && p.number === pull.number,
    );
    const closed = await githubDelivery(
      "pull_request",
      (p) => p.action === "closed" && p.number === pull.number,
    );
    const key = "github.pullRequest";
    const candidates: WorkflowTrigger[] = [
      { key, inputs: REPO },
      { key, inputs: { ...REPO, action: "opened" } },
      { key, inputs: { ...REPO, action: "closed" } },
      { key, inputs: { owner: "octo-org", repo: "other" } },
    ];
    expect(matching(opened, candidates)).toEqual([REPO, { ...REPO, action: "opened" }]);
    expect(matching(closed, candidates)).toEqual([REPO, { ...REPO, action: "closed" }]);
    expect(payloadSchemaOf(key).safeParse(opened.payload).error).toBeUndefined();
    expect(payloadSchemaOf(key).safeParse(closed.payload).error).toBeUndefined();

    const push = await githubDelivery(
      "push",
      (p) =>
        p.ref === "refs/heads/main" &&
        p.after ===
          (closed.payload as { pull_request: { merge_commit_sha: string } }).pull_request.merge_commit_sha,
    );
    const pushes: WorkflowTrigger[] = [
      { key: "github.push", inputs: REPO },
      { key: "github.push", inputs: { ...REPO, ref: "main" } },
      { key: "github.push", inputs: { ...REPO, ref: "refs/heads/main" } },
      { key: "github.push", inputs: { ...REPO, ref: "develop" } },
      { key: "github.push", inputs: { owner: "octo-org", repo: "other" } },
    ];
    expect(matching(push, pushes)).toEqual([
      REPO,
      { ...REPO, ref: "main" },
      { ...REPO, ref: "refs/heads/main" },
    ]);
    expect(payloadSchemaOf("github.push").safeParse(push.payload).error).toBeUndefined();
  });
});
