import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit, RequestError } from "octokit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GITHUB_FORMATS } from "../src/github/github-spec";
import { GithubEmulator } from "../src/index";
import { loadDerivedSpec, OperationValidator, WebhookValidator } from "./openapi-conformance";

// GitHub's REST and webhook descriptions, as derived by `pnpm --filter @autoflow/emulators specs:update`.
const rest = new OperationValidator(loadDerivedSpec("github", "rest.json"), undefined, GITHUB_FORMATS);
const webhooks = new WebhookValidator(loadDerivedSpec("github", "webhooks.json"), GITHUB_FORMATS);

const emulator = new GithubEmulator();
const owner = "octo-org";
const repo = "hello";
let octokit: Octokit;
let receiver: Server;
let receiverUrl: string;
/** Violations not yet reported by a test. */
let violations: string[] = [];
const exercised = new Set<string>();

/** Wraps every request of the real Octokit: the answer (or the error's answer) is checked against the description. */
function conformanceChecked(client: Octokit): Octokit {
  client.hook.wrap("request", async (request, options) => {
    const operation = rest.operationOf(options.method, options.url);
    const check = (status: number, data: unknown) => {
      if (!operation) {
        violations.push(`${options.method} ${options.url}: not a described operation`);
        return;
      }
      exercised.add(operation);
      violations.push(...rest.validateResponse(operation, status, data));
    };
    try {
      const response = await request(options);
      check(response.status, response.data);
      return response;
    } catch (error) {
      if (error instanceof RequestError && error.response) check(error.status, error.response.data);
      throw error;
    }
  });
  return client;
}

function newOctokit(auth?: string): Octokit {
  return conformanceChecked(
    new Octokit({
      baseUrl: emulator.url,
      ...(auth !== undefined && { auth }),
      throttle: { enabled: false },
      retry: { enabled: false },
    }),
  );
}

/** Fails the test with every violation since the last check, one per line. */
function expectConformant(): void {
  const found = violations;
  violations = [];
  expect(found, found.join("\n")).toEqual([]);
}

async function expectStatus(promise: Promise<unknown>, status: number): Promise<void> {
  await expect(promise).rejects.toMatchObject({ status });
}

beforeAll(async () => {
  await emulator.start();
  octokit = newOctokit(emulator.mintToken());
  receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200).end("ok"));
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  // Every delivery the scenarios below cause reaches this hook and is validated at the end.
  await octokit.rest.repos.createWebhook({
    owner,
    repo,
    events: ["*"],
    config: { url: receiverUrl, content_type: "json", secret: "conformance-secret" },
  });
});

afterAll(async () => {
  await emulator.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("GitHub emulator answers as GitHub's OpenAPI description says", () => {
  it("users: the authenticated user, a public user by name, an unknown user", async () => {
    await octokit.rest.users.getAuthenticated();
    await octokit.rest.users.getByUsername({ username: "hubot" });
    await expectStatus(octokit.rest.users.getByUsername({ username: "nobody-here" }), 404);
    expectConformant();
  });

  it("repositories, webhooks and workflows", async () => {
    await octokit.rest.repos.listForAuthenticatedUser();
    await octokit.rest.repos.get({ owner, repo });
    await octokit.rest.repos.get({ owner: "octocat", repo: "Hello-World" });
    await expectStatus(octokit.rest.repos.get({ owner, repo: "missing" }), 404);
    const { data: created } = await octokit.rest.repos.createWebhook({
      owner,
      repo,
      events: ["issues"],
      config: { url: receiverUrl, content_type: "json" },
      active: false,
    });
    await octokit.rest.repos.listWebhooks({ owner, repo });
    await octokit.rest.repos.getWebhook({ owner, repo, hook_id: created.id });
    await octokit.rest.repos.deleteWebhook({ owner, repo, hook_id: created.id });
    await expectStatus(octokit.rest.repos.getWebhook({ owner, repo, hook_id: created.id }), 404);
    await octokit.rest.actions.listRepoWorkflows({ owner, repo });
    expectConformant();
  });

  it("issues: create, read, list, edit, close, reopen, comment, label, react", async () => {
    const { data: created } = await octokit.rest.issues.create({
      owner,
      repo,
      title: "Conformance",
      body: "checked against the description",
      labels: ["bug"],
      assignees: ["octocat"],
      milestone: 1,
    });
    const issue_number = created.number;
    await octokit.rest.issues.get({ owner, repo, issue_number });
    await octokit.rest.issues.listForRepo({ owner, repo, state: "all" });
    await octokit.rest.issues.list({ filter: "all", state: "all" });
    await octokit.rest.issues.update({ owner, repo, issue_number, title: "Conformance, edited" });
    await octokit.rest.issues.update({ owner, repo, issue_number, state: "closed" });
    await octokit.rest.issues.update({ owner, repo, issue_number, state: "open" });
    await expectStatus(octokit.rest.issues.update({ owner, repo, issue_number, title: "" }), 422);
    await octokit.rest.issues.createComment({ owner, repo, issue_number, body: "a comment" });
    await octokit.rest.issues.listComments({ owner, repo, issue_number });
    await octokit.rest.issues.addLabels({ owner, repo, issue_number, labels: ["enhancement"] });
    await octokit.rest.reactions.createForIssue({ owner, repo, issue_number, content: "heart" });
    await octokit.rest.reactions.listForIssue({ owner, repo, issue_number });
    await expectStatus(octokit.rest.issues.get({ owner, repo, issue_number: 9_999 }), 404);
    expectConformant();
  });

  it("pull requests: open, read, list, merge, and the pull request as an issue", async () => {
    emulator.createBranch(`${owner}/${repo}`, "conformance");
    const { data: opened } = await octokit.rest.pulls.create({
      owner,
      repo,
      title: "Conformance PR",
      head: "conformance",
      base: "main",
      body: "merge me",
    });
    // GitHub computes mergeability in the background: the first answer says it does not know yet.
    expect(opened.mergeable).toBeNull();
    const pull_number = opened.number;
    const { data: read } = await octokit.rest.pulls.get({ owner, repo, pull_number });
    expect(read.mergeable).toBe(true);
    await octokit.rest.pulls.list({ owner, repo, state: "all" });

    // On GitHub a pull request is an issue: issue endpoints answer for its number.
    const { data: asIssue } = await octokit.rest.issues.get({ owner, repo, issue_number: pull_number });
    expect(asIssue.pull_request?.url).toContain(`/pulls/${pull_number}`);
    await octokit.rest.issues.createComment({ owner, repo, issue_number: pull_number, body: "LGTM" });
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: pull_number, labels: ["enhancement"] });
    await octokit.rest.reactions.createForIssue({
      owner,
      repo,
      issue_number: pull_number,
      content: "rocket",
    });
    const { data: listed } = await octokit.rest.issues.listForRepo({ owner, repo, state: "all" });
    expect(listed.find((i) => i.number === pull_number)?.pull_request).toBeDefined();
    const { data: labelled } = await octokit.rest.pulls.get({ owner, repo, pull_number });
    expect(labelled.labels.map((l) => l.name)).toEqual(["enhancement"]);
    expect(labelled.comments).toBe(1);

    await octokit.rest.pulls.merge({ owner, repo, pull_number });
    await expectStatus(octokit.rest.pulls.merge({ owner, repo, pull_number }), 405);
    expectConformant();
  });

  it("git references: read, create, move", async () => {
    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: "refs/heads/conformance-ref",
      sha: main.object.sha,
    });
    const feature = emulator.createBranch(`${owner}/${repo}`, "conformance-next");
    await octokit.rest.git.updateRef({ owner, repo, ref: "heads/conformance-ref", sha: feature });
    await expectStatus(octokit.rest.git.getRef({ owner, repo, ref: "heads/nope" }), 404);
    expectConformant();
  });

  it("stars: star, check, list stargazers (plain and with dates), unstar", async () => {
    await octokit.rest.activity.starRepoForAuthenticatedUser({ owner, repo });
    await octokit.rest.activity.checkRepoIsStarredByAuthenticatedUser({ owner, repo });
    await octokit.rest.activity.listStargazersForRepo({ owner, repo });
    await octokit.rest.activity.listStargazersForRepo({
      owner,
      repo,
      headers: { accept: "application/vnd.github.star+json" },
    });
    await octokit.rest.activity.unstarRepoForAuthenticatedUser({ owner, repo });
    await expectStatus(octokit.rest.activity.checkRepoIsStarredByAuthenticatedUser({ owner, repo }), 404);
    expectConformant();
  });

  it("OAuth app token check and revocation", async () => {
    const { clientId, clientSecret } = emulator.oauthApp;
    const access_token = emulator.mintToken({ clientId });
    const app = newOctokit();
    const authorization = `basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
    await app.rest.apps.checkToken({ client_id: clientId, access_token, headers: { authorization } });
    await app.rest.apps.deleteToken({ client_id: clientId, access_token, headers: { authorization } });
    await expectStatus(
      app.rest.apps.checkToken({ client_id: clientId, access_token, headers: { authorization } }),
      404,
    );
    expectConformant();
  });

  it("every described operation was exercised above", () => {
    expect(rest.operations.filter((o) => !exercised.has(o))).toEqual([]);
  });
});

describe("GitHub emulator delivers webhooks as GitHub's webhook description says", () => {
  it("every delivery matches its event's payload schema, and every described event was sent", async () => {
    await emulator.awaitDeliveries();
    const found: string[] = [];
    const sent = new Set<string>();
    for (const delivery of emulator.deliveries) {
      const payload = JSON.parse(delivery.body) as { action?: string };
      const key = [delivery.event, payload.action].filter(Boolean).join("-").replace(/_/g, "-");
      sent.add(key);
      found.push(...webhooks.validate(key, payload).map((v) => `${v} (delivery ${delivery.id})`));
    }
    expect(found, found.join("\n")).toEqual([]);
    expect(webhooks.keys.filter((k) => !sent.has(k))).toEqual([]);
  });
});
