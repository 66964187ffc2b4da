// What every example test needs: both emulators, integrations pointed at them, and a webhook intake
// (verifier -> durable inbox) on loopback that the emulators deliver to, as in production.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Clock,
  type MemoryWebhookInbox,
  nodeWebhookHandler,
  systemClock,
  type WebhookVerifier,
} from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import {
  createGithubWebhookVerifier,
  Github,
  generateGithubWebhookSecret,
  registerGithubWebhook,
  type WebhookEventName,
} from "@autoflow/github";
import { createSlackWebhookVerifier, Slack } from "@autoflow/slack";
import { createStripeWebhookVerifier, type Stripe } from "@autoflow/stripe";

/** The seeded repository and channel every example targets. */
export const REPOSITORY = "octo-org/hello";
export const CHANNEL = "C01GENERAL";

const cleanups: (() => Promise<void>)[] = [];

/** Stops everything the harness started; call it from `afterEach`. */
export async function stopAll(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** Both emulators, started, with a `Github` and a `Slack` integration holding tokens they accept. */
export async function startEmulators() {
  const githubEmulator = new GithubEmulator();
  const slackEmulator = new SlackEmulator();
  await Promise.all([githubEmulator.start(), slackEmulator.start()]);
  cleanups.push(() => Promise.all([githubEmulator.stop(), slackEmulator.stop()]).then(() => undefined));
  const githubToken = githubEmulator.mintToken({ login: "octocat" });
  // Generous client timeouts: on a loaded machine a post that timed out client-side after the
  // emulator handled it would be retried, and the test would blame the job for a duplicate.
  const github = new Github({
    id: "github",
    token: githubToken,
    baseUrl: githubEmulator.url,
    timeoutMs: 15_000,
  });
  const slack = new Slack({
    id: "slack",
    token: slackEmulator.mintToken(),
    slackApiUrl: slackEmulator.apiUrl,
    timeoutMs: 15_000,
  });
  return { githubEmulator, slackEmulator, githubToken, github, slack };
}

/** Serves `verifier` + `inbox` on 127.0.0.1 and resolves to the URL deliveries go to. */
async function startIntake(verifier: WebhookVerifier, inbox: MemoryWebhookInbox): Promise<string> {
  const server: Server = createServer(nodeWebhookHandler({ verifier, inbox }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/${verifier.provider}`;
}

/** A repository hook on the GitHub emulator for `events`, delivering signed to a local intake. */
export async function githubWebhooksTo(
  inbox: MemoryWebhookInbox,
  emulator: GithubEmulator,
  token: string,
  events: WebhookEventName[],
): Promise<{ hookId: number }> {
  const secret = generateGithubWebhookSecret();
  const url = await startIntake(createGithubWebhookVerifier({ secrets: [secret] }), inbox);
  const [owner = "", repo = ""] = REPOSITORY.split("/");
  return registerGithubWebhook({ token, baseUrl: emulator.url, owner, repo, url, events, secret });
}

/** The Slack app's Event Subscriptions pointed at a local intake (verified with Slack's challenge). */
export async function slackEventsTo(inbox: MemoryWebhookInbox, emulator: SlackEmulator): Promise<void> {
  const signingSecret = "examples-signing-secret";
  const requestUrl = await startIntake(
    createSlackWebhookVerifier({ signingSecrets: [signingSecret] }),
    inbox,
  );
  const subscription = await emulator.configureEvents({
    requestUrl,
    signingSecret,
    retryDelaysMs: [10, 10, 10],
  });
  if (!subscription.verified) throw new Error("the Slack emulator did not verify the intake's URL");
}

/**
 * A Stripe webhook endpoint for `events` pointed at a local intake, created with `client` (the shop's own Stripe
 * client, as its developer would in the Dashboard); the intake verifies with the secret the answer carries.
 */
export async function stripeWebhooksTo(
  inbox: MemoryWebhookInbox,
  client: ReturnType<Stripe["definition"]["createClient"]>,
  events: readonly string[],
): Promise<void> {
  // The intake's URL is needed to create the endpoint, whose answer holds the secret: verify once it is known.
  let verifier: WebhookVerifier | undefined;
  const url = await startIntake(
    { provider: "stripe", verify: (request, now) => (verifier as WebhookVerifier).verify(request, now) },
    inbox,
  );
  const endpoint = await client.webhookEndpoints.create({
    url,
    enabled_events: [...events] as Parameters<typeof client.webhookEndpoints.create>[0]["enabled_events"],
  });
  verifier = createStripeWebhookVerifier({ secrets: [endpoint.secret ?? ""] });
}

/**
 * A task log in a SQLite file. Each `open()` is a new connection to it, as a restarted worker
 * process would open: what it sees is only what the previous one wrote to disk.
 */
export function sqliteTaskLog(): { open(): SqliteTaskStore } {
  const dir = mkdtempSync(join(tmpdir(), "autoflow-examples-"));
  const opened: SqliteTaskStore[] = [];
  cleanups.push(async () => {
    for (const store of opened) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    open() {
      const store = new SqliteTaskStore({ path: join(dir, "tasks.db") });
      opened.push(store);
      return store;
    },
  };
}

/** A clock `offsetMs` ahead of the real one: a worker that starts after a long `io.wait` has passed. */
export function clockAhead(offsetMs: number): Clock {
  return { now: () => systemClock.now() + offsetMs, sleep: systemClock.sleep };
}

/** What a person does in GitHub's UI (not a task of the job under test): a plain API call. */
export async function githubAsUser(
  emulator: GithubEmulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
}
