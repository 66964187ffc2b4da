import { type ProviderDefinition, type ProviderIntegrationClass, providerIntegration } from "@autoflow/core";
import type { WebClient } from "@slack/web-api";
import { createWebClient, type SlackClientOptions } from "./client";
import { toSlackError } from "./errors";
import { Auth } from "./tasks/auth";
import { Chat } from "./tasks/chat";
import { Conversations } from "./tasks/conversations";
import { Files } from "./tasks/files";
import { Reactions } from "./tasks/reactions";
import { Users } from "./tasks/users";

/** Slack's SDK knowledge: its WebClient, method tree, error table, token shapes and task classes. */
export const SLACK_PROVIDER_DEFINITION = {
  id: "slack",
  name: "Slack",
  createClient: (token, options) => createWebClient(token, options),
  toError: (error, now) => toSlackError(error, now),
  sdk: { root: (client) => client, shape: () => createWebClient(undefined), result: "response" },
  secrets: { tokenShapes: [/\bxox[abprse]-[A-Za-z0-9-]{8,}/g, /\bxapp-[A-Za-z0-9-]{8,}/g] },
  // The WebClient namespaces with hand-written task classes; every other namespace passes through.
  tasks: {
    /** Messages: `postMessage`, `update`, `delete`, `postEphemeral`, `scheduleMessage`, and every other `chat.*` method. */
    chat: Chat,
    /** Channels: `list`, `history`, `replies`, `info`, `create`, `invite`, `join`, `archive`, and every other `conversations.*` method. */
    conversations: Conversations,
    /** People: `list`, `info`, `lookupByEmail`, and every other `users.*` method. */
    users: Users,
    /** `add`, `remove`, and every other `reactions.*` method. */
    reactions: Reactions,
    /** `uploadV2`, and every other `files.*` method. */
    files: Files,
    /** `test`, and every other `auth.*` method. */
    auth: Auth,
  },
  passthroughProperties: {
    Channel: "channel",
    "Channel ID": "channel_id",
    User: "user",
    Timestamp: "ts",
    Message: "timestamp",
    Name: "name",
    Text: "text",
  },
} satisfies ProviderDefinition<WebClient, SlackIntegrationOptions>;

/** Options for `new Slack(...)`. */
export interface SlackIntegrationOptions extends SlackClientOptions {
  /** Identifies this integration in jobs and connections. */
  id: string;
  /** A bot or user token (`xoxb-`, `xoxp-`): LOCAL auth. Omit it to use the platform's OAuth connection (HOSTED). */
  token?: string;
}

/** The kit's integration class, typed from the definition: `Slack` builds on it. */
export const SlackIntegration: ProviderIntegrationClass<typeof SLACK_PROVIDER_DEFINITION> =
  providerIntegration<typeof SLACK_PROVIDER_DEFINITION>();
