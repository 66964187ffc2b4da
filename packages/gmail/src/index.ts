/**
 * @module
 * Gmail for AutoFlow jobs: the `Gmail` integration (every `@googleapis/gmail` method as a durable, typed task; task
 * classes for `users`, `users.messages`, `users.threads`, `users.drafts`, `users.labels` and `users.history`;
 * `sendEmail`, which composes the MIME message with nodemailer's MailComposer; every send carries a `Message-ID`
 * derived from the task's idempotency key and a lost answer is reconciled by it), Gmail's error table
 * (`toGmailError`) and its provider definition; the Google OAuth 2.0 connection lifecycle.
 */

export type { GmailClientOptions } from "./client";
export { createGmailClient, GMAIL_API_URL } from "./client";
export type { GmailIntegrationOptions } from "./definition";
export { GMAIL_PROVIDER_DEFINITION } from "./definition";
export { GMAIL_RATE_LIMIT_MESSAGE, toGmailError } from "./errors";
export type { SentEmail } from "./gmail";
export { Gmail } from "./gmail";
export type { GmailAuthMethod, GmailConnectionMetadata } from "./lifecycle";
export {
  createGmailLifecycle,
  GMAIL_DEFAULT_SCOPES,
  GOOGLE_AUTHORIZE_URL,
  GOOGLE_REVOKE_URL,
  GOOGLE_TOKEN_URL,
} from "./lifecycle";
export type { GmailMethod, GmailMethods, GmailTree } from "./method-tree";
export * from "./tasks/index";
export * from "./triggers/index";
