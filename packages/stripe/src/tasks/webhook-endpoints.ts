import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";
import { STRIPE_API_VERSION } from "../client";

type WebhookEndpoint = StripeSdk.WebhookEndpoint;

/** `io.stripe.webhookEndpoints`: where Stripe sends events. Other `webhookEndpoints.*` methods pass through. */
export class WebhookEndpoints extends TaskNamespace<StripeSdk> {
  /**
   * Registers an endpoint for events, on the SDK's pinned API version unless `api_version` names another. Its
   * signing `secret` (answered only here) is a secret: the task log, and so the task's output, keep it redacted;
   * read it from the Dashboard, or let the trigger lifecycle register endpoints and keep their secrets.
   * @see https://docs.stripe.com/api/webhook_endpoints/create
   */
  create(
    key: IntegrationTaskKey,
    params: StripeSdk.WebhookEndpointCreateParams,
  ): Promise<TaskOutput<WebhookEndpoint>> {
    const pinned = { api_version: STRIPE_API_VERSION, ...params } as StripeSdk.WebhookEndpointCreateParams;
    return this.task<WebhookEndpoint>(key, (client) => client.webhookEndpoints.create(pinned), {
      name: "Create Webhook Endpoint",
      params,
      properties: propertiesOf(params, { URL: "url", Events: "enabled_events" }),
      idempotency: "native",
    });
  }

  /**
   * Lists webhook endpoints (one page).
   * @see https://docs.stripe.com/api/webhook_endpoints/list
   */
  list(
    key: IntegrationTaskKey,
    params?: StripeSdk.WebhookEndpointListParams,
  ): Promise<TaskOutput<StripeSdk.ApiList<WebhookEndpoint>>> {
    return this.task<StripeSdk.ApiList<WebhookEndpoint>>(
      key,
      (client) => client.webhookEndpoints.list(params),
      {
        name: "List Webhook Endpoints",
        ...(params !== undefined && { params }),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Deletes a webhook endpoint. DELETE is idempotent at Stripe; a repeat answers 404.
   * @see https://docs.stripe.com/api/webhook_endpoints/delete
   */
  del(key: IntegrationTaskKey, id: string): Promise<TaskOutput<StripeSdk.DeletedWebhookEndpoint>> {
    return this.task<StripeSdk.DeletedWebhookEndpoint>(key, (client) => client.webhookEndpoints.del(id), {
      name: "Delete Webhook Endpoint",
      params: { id },
      properties: [{ label: "Endpoint", text: id }],
      idempotency: "idempotent",
    });
  }
}
