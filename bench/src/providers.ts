import { Server } from "node:http";
import { type EmulatorServer, GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { Github } from "@autoflow/github";
import { Slack } from "@autoflow/slack";

/** The seeded Slack channel the bot is a member of. */
export const SLACK_CHANNEL = "C0001";
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
