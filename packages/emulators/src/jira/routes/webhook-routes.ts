import type { JiraRoute } from "../jira-api";
import { intParam } from "../jira-api";
import { DYNAMIC_WEBHOOK_LIFETIME_MS } from "../jira-webhooks";
import { jiraError } from "../jira-wire";
import { JqlError, parseJql } from "../jql";

const WEBHOOK_EVENTS = new Set([
  "jira:issue_created",
  "jira:issue_updated",
  "jira:issue_deleted",
  "comment_created",
  "comment_updated",
  "comment_deleted",
  "issue_property_set",
  "issue_property_deleted",
]);

/** Only apps register webhooks through the API: an API token (a user) is refused. */
const APPS_ONLY = jiraError(403, ["Only Connect and OAuth 2.0 apps can use this operation."]);

/**
 * Dynamic webhooks of OAuth 2.0 apps: register (each webhook's result, created id or errors), list the app's own
 * with their expiry, refresh (30 more days from now) and delete.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-a-webhook-using-the-rest-api--for-connect-and-oauth-2-0-apps-
 */
export function registerWebhookRoutes(route: JiraRoute): void {
  route("POST", "/rest/api/3/webhook", "webhook", ({ caller, body, webhooks }) => {
    if (caller.via !== "oauth" || !caller.clientId) return APPS_ONLY;
    const url = body.url;
    if (typeof url !== "string" || !/^https?:\/\//.test(url))
      return jiraError(400, ["The webhook URL is invalid."]);
    const requested = (body.webhooks as Array<Record<string, unknown>> | undefined) ?? [];
    const results = requested.map((details) => {
      const events = (details.events as string[] | undefined) ?? [];
      const jqlFilter = String(details.jqlFilter ?? "");
      const errors: string[] = [];
      if (events.length === 0 || events.some((e) => !WEBHOOK_EVENTS.has(e)))
        errors.push("Invalid event names.");
      try {
        if (parseJql(jqlFilter).clauses.length === 0) errors.push("The JQL filter must not be empty.");
      } catch (error) {
        if (!(error instanceof JqlError)) throw error;
        // Jira's words for a filter outside what dynamic webhooks support.
        errors.push(error.clause ? `The clause ${error.clause} is unsupported` : error.message);
      }
      if (errors.length > 0) return { errors };
      const created = webhooks.register(caller.clientId as string, url, {
        events,
        jqlFilter,
        ...(Array.isArray(details.fieldIdsFilter) && { fieldIdsFilter: details.fieldIdsFilter as string[] }),
        ...(Array.isArray(details.issuePropertyKeysFilter) && {
          issuePropertyKeysFilter: details.issuePropertyKeysFilter as string[],
        }),
      });
      return { createdWebhookId: created.id };
    });
    return { webhookRegistrationResult: results };
  });

  route("GET", "/rest/api/3/webhook", "webhook", ({ caller, request, webhooks }) => {
    if (caller.via !== "oauth" || !caller.clientId) return APPS_ONLY;
    const startAt = intParam(request.query.get("startAt"), 0);
    const maxResults = intParam(request.query.get("maxResults"), 100);
    const own = webhooks.dynamicOf(caller.clientId);
    const page = own.slice(startAt, startAt + maxResults);
    return {
      startAt,
      maxResults,
      total: own.length,
      isLast: startAt + page.length >= own.length,
      values: page.map((w) => ({
        id: w.id,
        url: w.url,
        jqlFilter: w.jqlFilter,
        events: w.events,
        expirationDate: w.expiresAt,
        ...(w.fieldIdsFilter && { fieldIdsFilter: w.fieldIdsFilter }),
        ...(w.issuePropertyKeysFilter && { issuePropertyKeysFilter: w.issuePropertyKeysFilter }),
      })),
    };
  });

  route("PUT", "/rest/api/3/webhook/refresh", "webhook", ({ caller, body, webhooks, now }) => {
    if (caller.via !== "oauth" || !caller.clientId) return APPS_ONLY;
    const ids = new Set(((body.webhookIds as unknown[] | undefined) ?? []).map(Number));
    if (ids.size === 0)
      return jiraError(400, [], { webhookIds: "The list of webhook IDs must not be empty." });
    const expirationDate = now + DYNAMIC_WEBHOOK_LIFETIME_MS;
    for (const webhook of webhooks.dynamicOf(caller.clientId)) {
      if (ids.has(webhook.id)) webhook.expiresAt = expirationDate;
    }
    return { expirationDate };
  });

  route("DELETE", "/rest/api/3/webhook", "webhook", ({ caller, body, webhooks }) => {
    if (caller.via !== "oauth" || !caller.clientId) return APPS_ONLY;
    const ids = new Set(((body.webhookIds as unknown[] | undefined) ?? []).map(Number));
    if (ids.size === 0)
      return jiraError(400, [], { webhookIds: "The list of webhook IDs must not be empty." });
    const clientId = caller.clientId;
    const kept = webhooks.dynamic.filter((w) => w.clientId !== clientId || !ids.has(w.id));
    webhooks.dynamic.splice(0, webhooks.dynamic.length, ...kept);
    return { status: 202 };
  });
}
