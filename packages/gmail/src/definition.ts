import { type ProviderDefinition, type ProviderIntegrationClass, providerIntegration } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { createGmailClient, type GmailClientOptions } from "./client";
import { toGmailError } from "./errors";
import { type GmailTree, gmailMethodTree } from "./method-tree";
import { Users } from "./tasks/users";

/** Options for `new Gmail(...)`. */
export interface GmailIntegrationOptions extends GmailClientOptions {
  /** Identifies this integration in jobs and connections. */
  id: string;
  /** An OAuth access token (`ya29....`): LOCAL. Omit it to use the connection (HOSTED, refreshed by the service). */
  token?: string;
}

/** What the provider kit knows of Gmail: its client, its method tree, its error table, its tokens' shapes. */
export const GMAIL_PROVIDER_DEFINITION = {
  id: "gmail",
  name: "Gmail",
  // gmail_v1.Gmail written out where a client is given or taken: the declaration files name the SDK's own type.
  createClient: (token, options): gmail_v1.Gmail => createGmailClient(token, options),
  toError: (error, now) => toGmailError(error, now),
  sdk: {
    root: (client: gmail_v1.Gmail): GmailTree => gmailMethodTree(client),
    shape: (): gmail_v1.Gmail => createGmailClient("ya29.method_tree_only"),
    result: "data",
  },
  secrets: {
    // Google OAuth access tokens (`ya29.`) and refresh tokens (`1//0g...`, about 100 characters): the refresh
    // token's shape starts with the escaped `1\/\/`, which the redaction's pre-check reads as its head `1//`.
    tokenShapes: [/\bya29\.[A-Za-z0-9_-]{8,}/g, /\b1\/\/[A-Za-z0-9_-]{20,}/g],
    tokenPrefixes: ["ya29.", "1//"],
  },
  // The SDK namespaces with hand-written task classes; every other namespace passes through.
  tasks: {
    /**
     * `getProfile`, `watch`, `stop`; `messages`, `threads`, `drafts`, `labels` and `history` with their tasks; and
     * every other `users.*` method.
     */
    users: Users,
  },
  passthroughProperties: { User: "userId", ID: "id" },
} satisfies ProviderDefinition<gmail_v1.Gmail, GmailIntegrationOptions>;

/**
 * The kit's integration class for Gmail, which `Gmail` builds on: typed from the definition, `users` with its task
 * classes and every other `users.*` method passing through.
 */
export const GmailIntegration: ProviderIntegrationClass<typeof GMAIL_PROVIDER_DEFINITION> =
  providerIntegration<typeof GMAIL_PROVIDER_DEFINITION>();
