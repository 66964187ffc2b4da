import { randomBytes } from "node:crypto";
import type { ConnectionAuth, WebhookRegistration } from "@autoflow/core";
import type { WebhookEventName } from "@octokit/webhooks-types";
import type { Octokit } from "octokit";
import { createOctokit, type GithubClientOptions } from "../client";
import { toGithubError } from "../errors";
import { paginateAll } from "../tasks/routes";

/** Which client registers the hook: an Octokit of your own, or a token (with the same options as `Github`). */
export type GithubWebhookClient = { octokit: Octokit } | ({ token: string } & GithubClientOptions);

export type RegisterGithubWebhookOptions = GithubWebhookClient & {
  owner: string;
  repo: string;
  /** Where GitHub POSTs deliveries, e.g. `https://autoflow.example.com/api/webhooks/github`. */
  url: string;
  /** The events to subscribe to, e.g. `["issues", "push"]`; `["*"]` for all. */
  events: readonly (WebhookEventName | "*")[];
  /** The signing secret; a random 32-byte one is generated when omitted. */
  secret?: string;
};

/** The created hook: store `secret` in the vault (the verifier needs it) and `hookId` to remove it later. */
export interface RegisteredGithubWebhook {
  hookId: number;
  secret: string;
  url: string;
  events: string[];
}

export type UnregisterGithubWebhookOptions = GithubWebhookClient & {
  owner: string;
  repo: string;
  hookId: number;
};

/** A secret for a new webhook: 32 random bytes as hex. */
export function generateGithubWebhookSecret(): string {
  return randomBytes(32).toString("hex");
}

/**
 * Creates the repository webhook a trigger needs (`repos.createWebhook`, JSON deliveries signed with
 * the secret). Needs `admin:repo_hook` (or `repo`). GitHub's errors arrive as `IntegrationError`s.
 * @see https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook
 */
export async function registerGithubWebhook(
  options: RegisterGithubWebhookOptions,
): Promise<RegisteredGithubWebhook> {
  const secret = options.secret ?? generateGithubWebhookSecret();
  try {
    const { data } = await clientOf(options).rest.repos.createWebhook({
      owner: options.owner,
      repo: options.repo,
      name: "web",
      active: true,
      events: [...options.events],
      config: { url: options.url, content_type: "json", secret, insecure_ssl: "0" },
    });
    return { hookId: data.id, secret, url: options.url, events: data.events };
  } catch (error) {
    throw toGithubError(withoutRequestBody(error));
  }
}

/**
 * Removes a webhook created by `registerGithubWebhook` (when its job is removed). A hook that is already
 * gone is not an error: resolves `{ removed: false }`.
 * @see https://docs.github.com/rest/repos/webhooks#delete-a-repository-webhook
 */
export async function unregisterGithubWebhook(
  options: UnregisterGithubWebhookOptions,
): Promise<{ removed: boolean }> {
  try {
    await clientOf(options).rest.repos.deleteWebhook({
      owner: options.owner,
      repo: options.repo,
      hook_id: options.hookId,
    });
    return { removed: true };
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return { removed: false };
    throw toGithubError(error);
  }
}

/** What `githubWebhookRegistration` needs: the repository, the event its hook subscribes to, and how to reach GitHub. */
export interface GithubWebhookRegistrationOptions {
  owner: string;
  repo: string;
  /** The one event the hook subscribes to (`"issues"`): one hook per repository and event. */
  event: string;
  client?: GithubClientOptions;
}

/**
 * `github:<owner>/<repo>:<event>`, lower-cased (GitHub names are case-insensitive): one hook per repository and
 * event, so jobs on different events of a repository get separate hooks and removing one leaves the others.
 */
export function githubRegistrationKey(owner: string, repo: string, event: string): string {
  return `github:${owner}/${repo}:${event}`.toLowerCase();
}

const REGISTRATION_KEY = /^github:([^/:]+)\/([^/:]+):([^:]+)$/;

/**
 * A repository-scoped trigger's registration: with a connection's token, creates the repository webhook
 * delivering `event` to the service (signed with the service's secret), finds one already delivering to the
 * service's URL (to adopt after a crash), verifies it still exists and is active (`GET` the hook), and removes it.
 * GitHub hooks do not expire: there is no `renew`.
 */
export function githubWebhookRegistration(options: GithubWebhookRegistrationOptions): WebhookRegistration {
  const { owner, repo, event, client = {} } = options;
  const key = githubRegistrationKey(owner, repo, event);
  return {
    key,
    async register({ url, auth, secret }) {
      const hook = await registerGithubWebhook({
        ...client,
        token: auth.accessToken,
        owner,
        repo,
        url,
        // The key's event is a GitHub event name; the factories take it from GitHub's own types.
        events: [event as WebhookEventName],
        secret,
      });
      return { externalId: String(hook.hookId) };
    },
    async unregister({ auth, externalId }) {
      await unregisterGithubRegistration({ ...client, key, externalId, auth });
    },
    // A hook a crash created but never recorded delivers to our URL: adopt it (it signs with the secret stored first).
    async find({ url, auth }) {
      try {
        const octokit = createOctokit(auth.accessToken, client);
        const hooks = await paginateAll(octokit, octokit.rest.repos.listWebhooks, {
          owner,
          repo,
          per_page: 100,
        });
        const found = hooks.find((hook) => hook.config.url === url && hook.events.includes(event));
        return found && { externalId: String(found.id) };
      } catch (error) {
        throw toGithubError(error);
      }
    },
    async verify({ auth, externalId }) {
      try {
        const { data } = await createOctokit(auth.accessToken, client).rest.repos.getWebhook({
          owner,
          repo,
          hook_id: Number(externalId),
        });
        return data.active ? "active" : "inactive";
      } catch (error) {
        if ((error as { status?: unknown }).status === 404) return "gone";
        throw toGithubError(error);
      }
    },
  };
}

/**
 * Removes the hook of a registration by its key and hook id alone: what the service calls for a key no job uses
 * anymore (its trigger is gone). A hook that is already gone is not an error.
 */
export async function unregisterGithubRegistration(
  options: GithubClientOptions & { key: string; externalId: string; auth: ConnectionAuth },
): Promise<void> {
  const { key, externalId, auth, ...client } = options;
  const [, owner, repo] = REGISTRATION_KEY.exec(key) ?? [];
  const hookId = Number(externalId);
  if (owner === undefined || repo === undefined || !Number.isSafeInteger(hookId)) {
    throw new TypeError(`Not a GitHub webhook registration: "${key}" (hook "${externalId}")`);
  }
  await unregisterGithubWebhook({ ...client, token: auth.accessToken, owner, repo, hookId });
}

// Octokit's RequestError keeps the request body, and this one holds the secret: the error is logged, the secret must not be.
function withoutRequestBody(error: unknown): unknown {
  const request = (error as { request?: { body?: unknown } } | null)?.request;
  if (request && typeof request === "object" && "body" in request) request.body = "[redacted]";
  return error;
}

function clientOf(options: GithubWebhookClient): Octokit {
  if ("octokit" in options) return options.octokit;
  const { token, ...client } = options;
  return createOctokit(token, client);
}
