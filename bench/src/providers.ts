/**
 * @module
 * The bench's provider-specific knowledge, in one file: the emulators and integrations the task benchmarks
 * call, each provider package's bare SDK (cold start), the signed deliveries the webhook intake is loaded with,
 * and the one-step workflow the scale-out bench queues. The other sections take the provider list from here or
 * from `@autoflow/providers`; the raw-SDK baselines of `task-overhead.ts` and `rate-limit-goodput.ts` are
 * per provider by nature.
 */
import { createHmac, randomUUID } from "node:crypto";
import { Server } from "node:http";
import type { Step } from "@autoflow/actions";
import { defineJob } from "@autoflow/core";
import { type EmulatorServer, GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { Github } from "@autoflow/github";
import type { ProviderLifecycles } from "@autoflow/server";
import { createWebClient, Slack } from "@autoflow/slack";

/** The seeded Slack channel the bot is a member of. */
export const SLACK_CHANNEL = "C01GENERAL";
/** The GitHub emulator's seeded repository. */
export const GITHUB_REPO = { owner: "octo-org", repo: "hello" } as const;
// Generous: a create that times out client-side after the emulator handled it would be retried and duplicated.
const TIMEOUT_MS = 30_000;

/** Both emulators, started, with a token each; `stop()` closes them. */
export async function startEmulators() {
  const slack = new SlackEmulator();
  const github = new GithubEmulator();
  await Promise.all([slack.start(), github.start()]);
  keepConnectionsAlive(slack.server);
  keepConnectionsAlive(github.server);
  return {
    slack,
    github,
    slackToken: slack.mintToken(),
    githubToken: github.mintToken(),
    stop: () => Promise.all([slack.stop(), github.stop()]).then(() => undefined),
  };
}

export type Emulators = Awaited<ReturnType<typeof startEmulators>>;

/** The integrations as a job declares them, pointed at the emulators. */
export function slackIntegration(emulators: Emulators): Slack {
  return new Slack({
    id: "slack",
    token: emulators.slackToken,
    slackApiUrl: emulators.slack.apiUrl,
    timeoutMs: TIMEOUT_MS,
  });
}

export function githubIntegration(emulators: Emulators): Github {
  return new Github({
    id: "github",
    token: emulators.githubToken,
    baseUrl: emulators.github.url,
    timeoutMs: TIMEOUT_MS,
  });
}

export const PROVIDER_TIMEOUT_MS = TIMEOUT_MS;

/**
 * The emulators answer `Keep-Alive: timeout=1`, below undici's 2 s keep-alive threshold, so Node's fetch (both
 * SDKs use it) closes the connection after every response and each call pays a TCP connect. Slack and GitHub
 * keep connections open far longer; the benchmarks do the same so the baseline call is realistic and the
 * runtime's cost is not hidden in reconnects. (The field is private to the emulator: fail loudly if it moves.)
 */
function keepConnectionsAlive(emulator: EmulatorServer): void {
  const server = (emulator as unknown as { server?: unknown }).server;
  if (!(server instanceof Server)) throw new Error("EmulatorServer no longer exposes its node:http server");
  server.keepAliveTimeout = 30_000;
}

/** Each provider package and the bare SDK it wraps: the cold-start comparison's pairs. */
export const PACKAGE_BASELINES = [
  { package: "@autoflow/slack", sdk: "@slack/web-api" },
  { package: "@autoflow/github", sdk: "octokit" },
] as const;

/** An `issues.opened` delivery as GitHub sends it (trimmed to the fields triggers read): ~1 KB. */
function issueOpenedPayload(i: number): string {
  return JSON.stringify({
    action: "opened",
    issue: {
      number: i,
      title: `Bench issue ${i}`,
      body: "Something is broken and here is a paragraph about it, as issues usually have.",
      state: "open",
      user: { login: "octocat", id: 1, type: "User" },
      labels: [{ name: "bug" }],
      html_url: `https://github.com/octo-org/hello/issues/${i}`,
      created_at: "2026-01-01T00:00:00Z",
    },
    repository: { id: 1296269, name: "hello", full_name: "octo-org/hello", private: false },
    sender: { login: "octocat", id: 1, type: "User" },
    installation: { id: 42 },
  });
}

/** What the webhook intake bench sends: one provider's signed deliveries, to `POST /api/webhooks/<provider>`. */
export const WEBHOOK_LOAD = {
  provider: "github",
  description:
    "signed `issues` deliveries (~1 KB, each with its own `X-GitHub-Delivery` and a valid `X-Hub-Signature-256`, precomputed)",
  /** Every delivery signed up front with `secret`, so the load process spends nothing on HMACs. */
  signed(count: number, secret: string): { body: string; headers: Record<string, string> }[] {
    return Array.from({ length: count }, (_, i) => {
      const body = issueOpenedPayload(i);
      const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
      return {
        body,
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/bench",
          "x-github-event": "issues",
          "x-github-delivery": randomUUID(),
          "x-github-hook-id": "1",
          "x-hub-signature-256": signature,
        },
      };
    });
  },
} as const;

/**
 * The one-step workflow the scale-out bench queues (a message posted to the emulator), with its emulator
 * started: `env` points the service and the workers at it, `connect` gives `userId` a connection to it.
 */
export async function startStepTarget() {
  const slack = new SlackEmulator();
  await slack.start();
  const step: Step = {
    id: "say",
    action: "slack.sendMessage",
    inputs: { channel: SLACK_CHANNEL, text: "run {{trigger.n}}" },
    credentialId: "slack",
  };
  return {
    /** How the report names the step. */
    label: "one `slack.sendMessage` step to the emulator",
    env: { AUTOFLOW_SLACK_API_URL: slack.apiUrl },
    step,
    connect: async (lifecycles: ProviderLifecycles, userId: string) => {
      await lifecycles.slack?.connectApiKey({ userId, accessToken: slack.mintToken() });
    },
    stop: () => slack.stop(),
  };
}

/** The worker-memory section's target: the Slack emulator's API URL and a token (the worker runs in its own process). */
export function memoryProbeTarget(emulators: Emulators): { apiUrl: string; token: string; label: string } {
  return { apiUrl: emulators.slack.apiUrl, token: emulators.slackToken, label: "`io.slack.auth.test`" };
}

/** The worker-memory section's baseline: the same call on the bare SDK, one client for every call. */
export function memoryProbeRawCall(apiUrl: string, token: string): () => Promise<unknown> {
  const client = createWebClient(token, { slackApiUrl: apiUrl, timeoutMs: TIMEOUT_MS });
  return () => client.auth.test();
}

/** The worker-memory section's job: one read task that leaves no state behind in the emulator. */
export function memoryProbeJob(apiUrl: string, token: string) {
  const slack = new Slack({ id: "slack", token, slackApiUrl: apiUrl, timeoutMs: TIMEOUT_MS });
  return defineJob({
    id: "bench-worker-memory",
    integrations: { slack },
    run: async (_payload, io) => {
      await io.slack.auth.test("whoami");
    },
  });
}
