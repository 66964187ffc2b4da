import {
  type IntegrationTaskKey,
  optionalProperty,
  type ReconcileResult,
  TaskNamespace,
  type TaskOutput,
} from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

type P<M extends keyof CloudClient["webhooks"]> = JiraParams<"webhooks", M>;
type A<M extends keyof CloudClient["webhooks"]> = JiraAnswer<"webhooks", M>;
type Webhook = NonNullable<A<"getDynamicWebhooksForApp">["values"]>[number];
type Registration = P<"registerDynamicWebhooks">["webhooks"][number];

/** Every dynamic webhook the app registered (all pages). */
export async function listDynamicWebhooks(client: CloudClient): Promise<Webhook[]> {
  const all: Webhook[] = [];
  for (let startAt = 0; ; ) {
    const page = await client.webhooks.getDynamicWebhooksForApp({ startAt, maxResults: 100 });
    const values = page.values ?? [];
    all.push(...values);
    startAt += values.length;
    if (page.isLast !== false || values.length === 0) return all;
  }
}

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && a.every((item) => b.includes(item));

/** Whether `webhook` is the one `registration` asks for, delivering to `url`. */
export function isRegistration(webhook: Webhook, url: string, registration: Registration): boolean {
  return (
    webhook.url === url &&
    webhook.jqlFilter === registration.jqlFilter &&
    sameSet(webhook.events as string[], registration.events as string[]) &&
    sameSet(webhook.fieldIdsFilter, registration.fieldIdsFilter)
  );
}

/** A lost registration, found by its URL, JQL filter and events (the list is read directly: certain either way). */
async function reconcileRegistration(
  client: CloudClient,
  params: P<"registerDynamicWebhooks">,
): Promise<ReconcileResult<A<"registerDynamicWebhooks">>> {
  const existing = await listDynamicWebhooks(client);
  const found = params.webhooks.map((registration) =>
    existing.find((webhook) => isRegistration(webhook, params.url, registration)),
  );
  if (found.every((webhook) => webhook !== undefined)) {
    return {
      found: true,
      output: { webhookRegistrationResult: found.map((webhook) => ({ createdWebhookId: webhook.id })) },
    };
  }
  // None registered: repeat; some but not all cannot be (Jira registers a list all or nothing).
  return found.every((webhook) => webhook === undefined) ? { found: false } : { unknown: true };
}

/**
 * Hand-written `webhooks` tasks: dynamic webhooks, which OAuth 2.0 and Connect apps register through the REST API and
 * which lapse 30 days after registration or their last refresh.
 */
export class Webhooks extends TaskNamespace<CloudClient> {
  /**
   * Registers dynamic webhooks delivering to `url` (each with its `events` and `jqlFilter`). A lost answer is
   * reconciled by listing the app's webhooks for the same URL, filter and events before the registration is repeated.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-post
   */
  registerDynamicWebhooks(
    key: IntegrationTaskKey,
    params: P<"registerDynamicWebhooks">,
  ): Promise<TaskOutput<A<"registerDynamicWebhooks">>> {
    return this.task<A<"registerDynamicWebhooks">>(
      key,
      (client) => asModel<A<"registerDynamicWebhooks">>(client.webhooks.registerDynamicWebhooks(params)),
      {
        name: "Register Webhooks",
        params,
        properties: optionalProperty("URL", params.url),
        idempotency: "reconcile",
        reconcile: (client) => reconcileRegistration(client, params),
      },
    );
  }

  /**
   * Lists the app's dynamic webhooks, one page.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-get
   */
  getDynamicWebhooksForApp(
    key: IntegrationTaskKey,
    params: P<"getDynamicWebhooksForApp"> = {},
  ): Promise<TaskOutput<A<"getDynamicWebhooksForApp">>> {
    return this.task<A<"getDynamicWebhooksForApp">>(
      key,
      (client) => asModel<A<"getDynamicWebhooksForApp">>(client.webhooks.getDynamicWebhooksForApp(params)),
      {
        name: "Get Webhooks",
        params,
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Extends the webhooks' life to 30 days from now; answers the new expiry. Refreshing again only moves it later.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-refresh-put
   */
  refreshWebhooks(
    key: IntegrationTaskKey,
    params: P<"refreshWebhooks">,
  ): Promise<TaskOutput<A<"refreshWebhooks">>> {
    return this.task<A<"refreshWebhooks">>(
      key,
      (client) => asModel<A<"refreshWebhooks">>(client.webhooks.refreshWebhooks(params)),
      {
        name: "Refresh Webhooks",
        params,
        properties: [{ label: "Webhooks", text: params.webhookIds.join(", ") }],
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Removes webhooks by id. Removing one already gone removes nothing.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/#api-rest-api-3-webhook-delete
   */
  deleteWebhookById(key: IntegrationTaskKey, params: P<"deleteWebhookById">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.webhooks.deleteWebhookById(params);
      },
      {
        name: "Delete Webhooks",
        params,
        properties: [{ label: "Webhooks", text: params.webhookIds.join(", ") }],
        idempotency: "idempotent",
      },
    );
  }
}
