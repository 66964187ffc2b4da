import {
  configuredIntegration,
  defineTrigger,
  pollingConnectionAuth,
  type ScopeCheckResult,
  type ScopeConnection,
  type TriggerContext,
} from "@autoflow/actions";

import { z } from "zod";
import { Gmail } from "../gmail";
import type { GmailPollingToken } from "./new-message";

const emailAddress = z
  .string()
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be the connected mailbox's address, e.g. ada@example.com")
  .describe("The mailbox whose new messages start the workflow: the connection's own address");

const labelIds = z
  .array(z.string().regex(/^[A-Za-z0-9_]+$/))
  .max(10)
  .optional()
  .describe("Only messages with every one of these label ids (INBOX, STARRED, Label_3, ...)");

const query = z
  .string()
  .min(1)
  .max(500)
  .regex(/^[^\r\n]*$/, "one line of Gmail search syntax")
  .optional()
  .describe(
    "Only messages this Gmail search finds, as in Gmail's search box (from:billing@acme.com subject:invoice)",
  );

/**
 * Whether the connection is the mailbox the inputs name: its `emailAddress`, read from `users.getProfile` when it
 * was connected. Gmail compares addresses case-insensitively, and so does the check.
 */
export async function checkGmailScope(
  inputs: { emailAddress: string },
  connection: ScopeConnection,
): Promise<ScopeCheckResult> {
  const connected = String(connection.metadata.emailAddress ?? "").toLowerCase();
  const wanted = inputs.emailAddress.toLowerCase();
  return connected === wanted
    ? { ok: true, account: wanted }
    : {
        ok: false,
        field: "emailAddress",
        message: `the connection is the mailbox ${connected}, not ${wanted}`,
      };
}

/** The workflow's connection's current token, asked before every poll (see `pollingConnectionAuth`). */
function connectionToken(context?: TriggerContext): GmailPollingToken {
  const auth = pollingConnectionAuth("gmail", "gmail.newMessage", context);
  return async () => (await auth()).accessToken;
}

/**
 * `gmail.newMessage`: polls the mailbox's history (`gmail.onNewMessage`) with the workflow's connection; one run per
 * new message, the first poll fires nothing historic.
 */
export const gmailNewMessage = defineTrigger({
  key: "gmail.newMessage",
  name: "New Gmail message",
  description:
    "Starts a run for every new message in the connected mailbox (polled every minute; no Pub/Sub needed).",
  provider: "gmail",
  kind: "polling",
  inputSchema: z.object({ emailAddress, labelIds, query }),
  examples: [
    { emailAddress: "ada@example.com" },
    { emailAddress: "ada@example.com", labelIds: ["INBOX", "UNREAD"], query: "from:billing@acme.com" },
  ],
  payloadSchema: z.looseObject({
    id: z.string(),
    threadId: z.string(),
    labelIds: z.array(z.string()).optional(),
    snippet: z.string().optional(),
    historyId: z.string(),
    internalDate: z.string().optional(),
    payload: z
      .looseObject({ headers: z.array(z.object({ name: z.string(), value: z.string() })) })
      .optional(),
  }),
  scope: { fields: ["emailAddress"], check: checkGmailScope },
  create: (inputs, context) =>
    configuredIntegration(Gmail, "gmail", context?.providers).onNewMessage({
      ...(inputs.labelIds && { labelIds: inputs.labelIds }),
      ...(inputs.query !== undefined && { query: inputs.query }),
      token: connectionToken(context),
      ...(context?.connection && { connectionId: context.connection.id }),
    }),
});

/** Gmail's workflow triggers, in the order the builder lists them. */
export const gmailTriggers = [gmailNewMessage] as const;
