import { IncomingMessage } from "node:http";
import {
  type DeliveryAuthSource,
  handleWebhook,
  type WebhookInbox,
  type WebhookVerifier,
} from "@autoflow/core";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { WebhookVerifiers } from "../webhooks";
import { readLimitedBody } from "./read-limited-body";

/** What the webhook endpoints need from the service. */
export interface WebhookRoutesOptions {
  verifiers: WebhookVerifiers;
  inbox: WebhookInbox;
  /** Called after a new delivery is in the inbox, before the answer is sent (wakes the dispatcher). */
  onAccepted?: () => void;
  /**
   * Default 1 MiB, for providers that declare no limit of their own (`verifiers.maxBodyBytes`); larger bodies get
   * 413 before any verification.
   */
  maxBodyBytes?: number;
  /** Default 64; a payload nesting deeper gets 400 `not_json` (which providers do not retry). */
  maxJsonDepth?: number;
}

const ONE_MIB = 1024 * 1024;

const notFound = (c: Context) =>
  c.json({ error: { code: "unknown_webhook", message: "No webhook is configured at this URL" } }, 404);

/**
 * `POST /:provider` (the provider-wide secret) and `POST /:provider/:connectionId` (secrets stored for one
 * connection's hooks). No user token: the provider's signature is the authentication. The raw bytes reach the
 * verifier unparsed, and the answer is sent right after the inbox write, never after running a job.
 */
export function createWebhookRoutes(options: WebhookRoutesOptions): Hono {
  const routes = new Hono();
  const defaultMaxBodyBytes = options.maxBodyBytes ?? ONE_MIB;
  const intake = async (c: Context, verifier: WebhookVerifier, auth: DeliveryAuthSource) => {
    const maxBodyBytes =
      options.verifiers.maxBodyBytes?.(c.req.param("provider") ?? "") ?? defaultMaxBodyBytes;
    // Under @hono/node-server the raw Node request is at hand: read it directly (cheaper than the web stream).
    const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
    const body = await readLimitedBody(
      incoming instanceof IncomingMessage ? incoming : c.req.raw,
      maxBodyBytes,
    );
    if (!body) return c.json({ ok: false, error: "too_large" }, 413);
    const { status, body: answer } = await handleWebhook(
      {
        verifier,
        inbox: options.inbox,
        auth,
        maxBodyBytes,
        ...(options.maxJsonDepth !== undefined && { maxJsonDepth: options.maxJsonDepth }),
        ...(options.onAccepted && { onAccepted: options.onAccepted }),
      },
      c.req.raw.headers,
      body,
      // A provider that cannot sign proves itself with the token in the URL it was registered with.
      new URL(c.req.url),
    );
    return c.json(answer, status as ContentfulStatusCode);
  };

  routes.post("/:provider", async (c) => {
    const verifier = options.verifiers.forProvider(c.req.param("provider"));
    return verifier ? intake(c, verifier, { kind: "provider" }) : notFound(c);
  });

  routes.post("/:provider/:connectionId", async (c) => {
    const connectionId = c.req.param("connectionId");
    const verifier = await options.verifiers.forConnection(c.req.param("provider"), connectionId);
    // Verified with this connection's own secrets: its deliveries concern its owner only.
    return verifier ? intake(c, verifier, { kind: "connection", connectionId }) : notFound(c);
  });

  return routes;
}
