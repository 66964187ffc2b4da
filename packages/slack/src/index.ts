/**
 * @module
 * Slack for AutoFlow jobs: the `Slack` integration, its Events API triggers and webhook verifier, its error
 * table and its connection lifecycle.
 */

export type { SlackClientOptions } from "./client";
export { createWebClient } from "./client";
export type { SlackIntegrationOptions } from "./definition";
export { SLACK_PROVIDER_DEFINITION } from "./definition";
export { toSlackError } from "./errors";
export type { SlackAuthMethod, SlackConnectionMetadata } from "./lifecycle";
export { createSlackLifecycle, SLACK_AUTHORIZE_URL, SLACK_DEFAULT_SCOPES } from "./lifecycle";
export { Slack } from "./slack";
export * from "./tasks/index";
export * from "./triggers/index";
