import {
  type ConnectionAuth,
  IntegrationError,
  type SubscriptionGrant,
  type WebhookRegistration,
} from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { createJiraClient, type JiraClientOptions } from "../client";
import { toJiraError } from "../errors";
import { isRegistration, listDynamicWebhooks } from "../tasks/webhooks";

/** A dynamic webhook's life: Jira removes it 30 days after its registration or last refresh. */
export const DYNAMIC_WEBHOOK_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** What a dynamic webhook listens to: Jira's event names and a JQL filter (Jira requires one). */
export interface JiraWebhookSubscription {
  events: readonly string[];
  jqlFilter: string;
}

/** `jira:<events, sorted>:<jql>`: one dynamic webhook per event set, filter and connection. */
export function jiraRegistrationKey({ events, jqlFilter }: JiraWebhookSubscription): string {
  return `jira:${[...new Set(events)].sort().join(",")}:${jqlFilter}`;
}

/**
 * The URL a dynamic webhook delivers to: the connection's hook URL with its unguessable token as `token` (which the
 * intake passes to the verifier with the request's URL).
 */
export function tokenUrl(url: string, secret: string): string {
  const target = new URL(url);
  target.searchParams.set("token", secret);
  return target.toString();
}

function clientOf(auth: ConnectionAuth, client: JiraClientOptions): CloudClient {
  const fields = auth.additionalFields ?? {};
  if (fields.email !== undefined) {
    throw new IntegrationError({
      type: "schema",
      provider: "jira",
      code: "dynamic_webhooks_need_oauth",
      message:
        "Jira: dynamic webhooks are for OAuth 2.0 connections; with an API token, ask a Jira admin to add a webhook " +
        "(Settings > System > Webhooks) to the service's /api/webhooks/jira URL with its secret",
    });
  }
  return createJiraClient(auth.accessToken, {
    ...client,
    ...(fields.cloudId !== undefined && { cloudId: fields.cloudId }),
    ...(fields.siteUrl !== undefined && { siteUrl: fields.siteUrl }),
  });
}

const expiry = (expirationDate: number | undefined, now: number) =>
  new Date(expirationDate ?? now + DYNAMIC_WEBHOOK_LIFETIME_MS).toISOString();

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toJiraError(error);
  }
}

/**
 * A trigger's dynamic webhook, made with the connection's OAuth token: registered to the connection's hook URL with
 * its token, found again by URL, filter and events after a crash (adopted, never doubled), refreshed with
 * `PUT /rest/api/3/webhook/refresh` before its 30 days run out (the scheduler renews at two thirds), verified by
 * listing (gone once Jira removed it), and deleted by id.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-a-webhook-using-the-rest-api--for-connect-and-oauth-2-0-apps-
 */
export function jiraWebhookRegistration(
  subscription: JiraWebhookSubscription,
  client: JiraClientOptions = {},
): WebhookRegistration {
  const registration = { events: [...subscription.events], jqlFilter: subscription.jqlFilter };
  const grantOf = async (jira: CloudClient, url: string): Promise<SubscriptionGrant | undefined> => {
    const hooks = await call(() => listDynamicWebhooks(jira));
    const found = hooks.find((hook) => isRegistration(hook, url, registration));
    return found && { externalId: String(found.id), expiresAt: expiry(found.expirationDate, Date.now()) };
  };
  return {
    key: jiraRegistrationKey(subscription),
    async register({ url, auth, secret }) {
      const jira = clientOf(auth, client);
      const target = tokenUrl(url, secret);
      const answer = await call(() =>
        jira.webhooks.registerDynamicWebhooks({ url: target, webhooks: [registration] }),
      );
      const result = answer.webhookRegistrationResult?.[0];
      if (result?.createdWebhookId === undefined) {
        throw new IntegrationError({
          type: "schema",
          provider: "jira",
          code: "webhook_not_registered",
          message: `Jira refused the webhook: ${(result?.errors ?? []).join("; ") || "no id in the answer"}`,
        });
      }
      return (
        (await grantOf(jira, target)) ?? {
          externalId: String(result.createdWebhookId),
          expiresAt: expiry(undefined, Date.now()),
        }
      );
    },
    async unregister({ auth, externalId }) {
      await removeDynamicWebhook(clientOf(auth, client), externalId);
    },
    find: ({ url, auth, secret }) => grantOf(clientOf(auth, client), tokenUrl(url, secret)),
    async renew({ auth, externalId }) {
      const jira = clientOf(auth, client);
      const { expirationDate } = await call(() =>
        jira.webhooks.refreshWebhooks({ webhookIds: [Number(externalId)] }),
      );
      return { externalId, expiresAt: expiry(expirationDate, Date.now()) };
    },
    async verify({ auth, externalId }) {
      const hooks = await call(() => listDynamicWebhooks(clientOf(auth, client)));
      const hook = hooks.find((h) => String(h.id) === externalId);
      if (!hook) return "gone";
      return hook.expirationDate !== undefined && hook.expirationDate <= Date.now() ? "gone" : "active";
    },
  };
}

/** Deletes a dynamic webhook by id; one already gone is not an error. */
export async function removeDynamicWebhook(jira: CloudClient, externalId: string): Promise<void> {
  try {
    await jira.webhooks.deleteWebhookById({ webhookIds: [Number(externalId)] });
  } catch (error) {
    if ((error as { status?: unknown }).status !== 404) throw toJiraError(error);
  }
}

/** Removes the webhook of a registration by its key and id alone: what the service calls for a key no job uses. */
export async function unregisterJiraRegistration(options: {
  key: string;
  externalId: string;
  auth: ConnectionAuth;
  client?: JiraClientOptions;
}): Promise<void> {
  if (!options.key.startsWith("jira:")) throw new TypeError(`not a Jira registration key: ${options.key}`);
  await removeDynamicWebhook(clientOf(options.auth, options.client ?? {}), options.externalId);
}
