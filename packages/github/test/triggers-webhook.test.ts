import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  defineJob,
  IntegrationError,
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  nodeWebhookHandler,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import { type GithubDelivery, GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGithubWebhookVerifier,
  createOctokit,
  Github,
  registerGithubWebhook,
  unregisterGithubWebhook,
} from "../src/index";
import { REPO } from "./__fixtures__/harness";

// The whole path over loopback: the emulator's API changes state and POSTs signed deliveries to a real
// node:http server running core's intake, the inbox feeds the dispatcher, and the runtime runs the job.
const emulator = new GithubEmulator();
const inbox = new MemoryWebhookInbox();
const store = new MemoryTaskStore();
const runs: number[] = [];
const results: RunResult<unknown>[] = [];
let server: Server;
let endpoint: string;
let token: string;
let hookId: number;
let otherHookId: number;
let secrets: string[];

const github = new Github({ id: "github", token: "ghp_unused_for_webhook_triggers_000" });
const job = defineJob({
  id: "on-issue-opened",
  trigger: github.onIssueOpened(REPO),
  run: async (payload) => {
    runs.push(payload.issue.number);
    return payload.issue.number;
  },
});
const dispatcher = () =>
  new TriggerDispatcher({
    inbox,
    runner: new JobRunner({ store }),
    jobs: [job],
    onRun: (_job, result) => results.push(result),
  });

beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
  // The verifier is built once the hooks exist (their secrets come from registration): read it late.
  let verify = createGithubWebhookVerifier({ secrets: ["placeholder-until-registered"] });
  const handler = nodeWebhookHandler({
    verifier: { provider: "github", verify: (request, now) => verify.verify(request, now) },
    inbox,
  });
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/github`;

  const hello = await registerGithubWebhook({
    token,
    baseUrl: emulator.url,
    ...REPO,
    url: endpoint,
    events: ["issues"],
  });
  const other = await registerGithubWebhook({
    token,
    baseUrl: emulator.url,
    owner: "octocat",
    repo: "Hello-World",
    url: endpoint,
    events: ["issues"],
  });
  hookId = hello.hookId;
  otherHookId = other.hookId;
  secrets = [hello.secret, other.secret];
  verify = createGithubWebhookVerifier({ secrets });
});
afterAll(async () => {
  await emulator.stop();
  await new Promise((resolve) => server.close(resolve));
});

const octokit = () => createOctokit(token, { baseUrl: emulator.url });
const createIssue = async (title: string, repo: { owner: string; repo: string } = REPO) =>
  (await octokit().rest.issues.create({ ...repo, title })).data.number;
const openedDeliveryFor = (number: number) =>
  emulator.deliveries.find(
    (d) =>
      d.event === "issues" &&
      d.action === "opened" &&
      !d.redelivery &&
      JSON.parse(d.body).issue.number === number,
  ) as GithubDelivery;

describe("GitHub webhook triggers end to end", () => {
  it("registers the hook with a generated secret, and the hook's ping is answered 2xx", async () => {
    const hook = emulator.state.repo("octo-org", "hello")?.hooks.find((h) => h.id === hookId);
    expect(hook).toMatchObject({
      active: true,
      events: ["issues"],
      config: { url: endpoint, content_type: "json" },
    });
    expect(hook?.config.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(hook?.config.secret).toBe(secrets[0]);
    expect(secrets[0]).not.toBe(secrets[1]);
    await emulator.awaitDeliveries();
    // The pings may have arrived before the verifier knew the secrets (then refused, as a wrong secret would be);
    // GitHub's "Redeliver" of a ping is then accepted.
    const pings = emulator.deliveries.filter((d) => d.event === "ping");
    expect(pings.map((d) => d.hookId).sort()).toEqual([hookId, otherHookId].sort());
    const redelivered = await emulator.redeliver(pings[0]?.id as string);
    expect(redelivered[0]?.status).toBe(200);
  });

  it("runs the job exactly once per issue opened through the API, with that issue in its payload", async () => {
    const numbers = [await createIssue("First"), await createIssue("Second"), await createIssue("Third")];
    await emulator.awaitDeliveries();
    await dispatcher().dispatchPending();
    expect([...runs].sort((a, b) => a - b)).toEqual(numbers);
    expect(results.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
    expect(results.map((r) => (r.status === "completed" ? r.output : undefined)).sort()).toEqual(
      [...numbers].sort(),
    );
  });

  it("starts nothing for a closed issue or an issue opened in another repository", async () => {
    const before = runs.length;
    const number = await createIssue("To close");
    await emulator.awaitDeliveries();
    await dispatcher().dispatchPending();
    expect(runs.length).toBe(before + 1);

    await octokit().rest.issues.update({ ...REPO, issue_number: number, state: "closed" });
    await createIssue("Elsewhere", { owner: "octocat", repo: "Hello-World" });
    await emulator.awaitDeliveries();
    const closed = emulator.deliveries.find((d) => d.action === "closed");
    const elsewhere = emulator.deliveries.find(
      (d) => d.repository === "octocat/Hello-World" && d.action === "opened",
    );
    // Both reached the inbox (2xx): the trigger's filters, not a refusal, keep them from running.
    expect(closed?.status).toBe(200);
    expect(elsewhere?.status).toBe(200);
    expect(await dispatcher().dispatchPending()).toBe(2);
    expect(runs.length).toBe(before + 1);
  });

  it("runs once when GitHub sends the same delivery three more times, before or after the dispatch", async () => {
    const before = runs.length;
    const number = await createIssue("Retried");
    await emulator.awaitDeliveries();
    const original = openedDeliveryFor(number);
    const early = await emulator.redeliver(original.id, 3);
    expect(early.map((d) => d.status)).toEqual([200, 200, 200]);
    expect(early.map((d) => JSON.parse(d.responseBody ?? "{}"))).toEqual([
      { ok: true, duplicate: true },
      { ok: true, duplicate: true },
      { ok: true, duplicate: true },
    ]);
    await dispatcher().dispatchPending();
    const late = await emulator.redeliver(original.id, 3);
    expect(late.every((d) => d.status === 200)).toBe(true);
    await dispatcher().dispatchPending();
    expect(runs.slice(before)).toEqual([number]);
  });

  it.each(["bad", "malformed", "missing"] as const)(
    "answers a %s signature with 401 and starts nothing",
    async (spoiler) => {
      const before = runs.length;
      const number = await createIssue(`Forged (${spoiler})`);
      await emulator.awaitDeliveries();
      const real = openedDeliveryFor(number);
      const payload = JSON.parse(real.body);
      payload.issue.number = 9_000;
      const forged = await emulator.sendDelivery(hookId, { event: "issues", payload, signature: spoiler });
      // The forged delivery reuses nothing: a fresh delivery id that a correct signature would have let in.
      expect(forged.status).toBe(401);
      expect(JSON.parse(forged.responseBody ?? "{}")).toEqual({
        ok: false,
        error: spoiler === "missing" ? "missing_signature" : `${spoiler}_signature`,
      });
      await dispatcher().dispatchPending();
      expect(runs.slice(before)).toEqual([number]);
      expect(runs).not.toContain(9_000);
    },
  );

  it("takes a burst of deliveries without losing or doubling one", async () => {
    const before = runs.length;
    const number = await createIssue("Burst template");
    await emulator.awaitDeliveries();
    const template = JSON.parse(openedDeliveryFor(number).body);
    const burst = await emulator.sendBurst(hookId, {
      event: "issues",
      count: 12,
      payload: (i) => ({ ...template, issue: { ...template.issue, number: 5_000 + i } }),
    });
    expect(burst.every((d) => d.status === 200)).toBe(true);
    await dispatcher().dispatchPending();
    expect(runs.slice(before).sort((a, b) => a - b)).toEqual([
      number,
      ...Array.from({ length: 12 }, (_, i) => 5_000 + i),
    ]);
  });

  it("removes the hook: nothing is delivered afterwards, and removing it again is not an error", async () => {
    const other = await unregisterGithubWebhook({
      token,
      baseUrl: emulator.url,
      owner: "octocat",
      repo: "Hello-World",
      hookId: otherHookId,
    });
    expect(other).toEqual({ removed: true });
    expect(await unregisterGithubWebhook({ octokit: octokit(), ...REPO, hookId })).toEqual({ removed: true });
    expect(emulator.state.repo("octo-org", "hello")?.hooks.some((h) => h.id === hookId)).toBe(false);
    expect(await unregisterGithubWebhook({ octokit: octokit(), ...REPO, hookId })).toEqual({
      removed: false,
    });
    const sent = emulator.deliveries.length;
    await createIssue("After removal");
    await emulator.awaitDeliveries();
    expect(emulator.deliveries.length).toBe(sent);
  });

  it("fails registration as an IntegrationError that carries neither the secret nor the token", async () => {
    const secret = "a-secret-that-must-not-leak-0123456789";
    const failure = await registerGithubWebhook({
      token,
      baseUrl: emulator.url,
      owner: "octo-org",
      repo: "missing",
      url: endpoint,
      events: ["issues"],
      secret,
    }).catch((error: unknown) => error);
    expect(IntegrationError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ type: "schema", status: 404 });
    const seen = `${String(failure)} ${JSON.stringify(failure)} ${JSON.stringify((failure as IntegrationError).cause)}`;
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain(token);
  });
});
