import { type ProviderDefinition, type ProviderIntegrationClass, providerIntegration } from "@autoflow/core";
import type { WebClient } from "@slack/web-api";
import { createWebClient, type SlackClientOptions } from "./client";
import { toSlackError } from "./errors";

/** Slack's SDK-specific knowledge: how to build a WebClient, where its methods are, its error table and token shapes. */
export const SLACK_PROVIDER_DEFINITION: ProviderDefinition<WebClient, SlackIntegrationOptions> = {
  id: "slack",
  name: "Slack",
  createClient: (token, options) => createWebClient(token, options),
  toError: (error, now) => toSlackError(error, now),
  sdk: { root: (client) => client, shape: () => createWebClient(undefined), result: "response" },
  secrets: { tokenShapes: [/\bxox[abprse]-[A-Za-z0-9-]{8,}/g, /\bxapp-[A-Za-z0-9-]{8,}/g] },
};

/** Options for `new Slack(...)`. */
export interface SlackIntegrationOptions extends SlackClientOptions {
  /** Identifies this integration in jobs and connections. */
  id: string;
  /** A bot or user token (`xoxb-`, `xoxp-`): LOCAL auth. Omit it to use the platform's OAuth connection (HOSTED). */
  token?: string;
}

/** The WebClient namespaces with hand-written task classes; every other namespace passes through. */
export type SlackHandWritten = "chat" | "conversations" | "users" | "reactions" | "files" | "auth";

/**
 * The kit's integration class for Slack, which `Slack` builds on (its trigger methods, then its tasks).
 * Declared, not inferred, so the declaration files name WebClient's types once.
 */
export const SlackIntegration: ProviderIntegrationClass<
  WebClient,
  SlackIntegrationOptions,
  WebClient,
  "response",
  SlackHandWritten
> = providerIntegration();
