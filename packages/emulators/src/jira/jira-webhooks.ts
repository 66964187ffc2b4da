import { randomUUID } from "node:crypto";
import type { EmulatorClock } from "../shared/emulator-clock";
import type { WebhookAttempt } from "../shared/webhook-delivery";
import { WebhookSender } from "../shared/webhook-sender";
import type { JiraRender } from "./jira-render";
import type { SeedUser } from "./jira-seed";
import type { StoredComment, StoredIssue } from "./jira-state";
import { JIRA_SIGNATURE, JIRA_WEBHOOK_RETRIES } from "./jira-webhook-signature";
import { issueMatchesFilter } from "./jql-match";

/** The events the emulator sends. */
export type JiraWebhookEvent =
  | "jira:issue_created"
  | "jira:issue_updated"
  | "jira:issue_deleted"
  | "comment_created";

/** An admin webhook (Settings > System > Webhooks), as a test or `--seed` adds it. */
export interface AdminWebhook {
  id: number;
  url: string;
  /** Signs deliveries (`X-Hub-Signature`) when set. */
  secret?: string;
  events: JiraWebhookEvent[];
  jqlFilter?: string;
}

/** A webhook an OAuth app registered through `POST /rest/api/3/webhook`: unsigned, expiring. */
export interface DynamicWebhook {
  id: number;
  /** The OAuth app that registered it: each app sees its own. */
  clientId: string;
  url: string;
  events: string[];
  jqlFilter: string;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
  /** Epoch ms; a webhook past it delivers nothing until refreshed... and Jira no longer lists it. */
  expiresAt: number;
}

/** A dynamic webhook lives 30 days after it is registered or refreshed. */
export const DYNAMIC_WEBHOOK_LIFETIME_MS = 30 * 24 * 3600_000;

/** What the emulator logs with every delivery attempt. */
export interface JiraDeliveryMeta {
  webhookId: number;
  kind: "admin" | "dynamic";
  event: JiraWebhookEvent;
}

export type JiraDelivery = WebhookAttempt<JiraDeliveryMeta>;

/** A change to an issue's field, as a changelog item names it. */
export interface ChangelogItem {
  field: string;
  fieldtype: "jira" | "custom";
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

/**
 * The site's webhooks: admin ones (signed with their secret when they have one) and the OAuth apps' dynamic ones
 * (unsigned, gone after 30 days unless refreshed). Every issue created or updated and comment added is delivered
 * to each webhook whose events and JQL filter it meets, through the kit's sender, with Jira's headers.
 */
export class JiraWebhooks {
  readonly sender: WebhookSender<JiraDeliveryMeta>;
  readonly admin: AdminWebhook[] = [];
  readonly dynamic: DynamicWebhook[] = [];
  private nextAdminId = 1;
  private nextDynamicId = 10000;
  private nextChangelogId = 10000;

  constructor(
    private readonly render: JiraRender,
    private readonly clock: EmulatorClock,
    timeoutMs?: number,
  ) {
    this.sender = new WebhookSender<JiraDeliveryMeta>({
      clock,
      signature: JIRA_SIGNATURE,
      retry: JIRA_WEBHOOK_RETRIES,
      ...(timeoutMs !== undefined && { timeoutMs }),
      // Jira counts retries in a header of its own; the first attempt has none.
      attemptHeaders: ({ retryNum }): Record<string, string> =>
        retryNum > 0 ? { "x-atlassian-webhook-retry": String(retryNum) } : {},
    });
  }

  addAdmin(webhook: Omit<AdminWebhook, "id">): AdminWebhook {
    const added = { ...webhook, id: this.nextAdminId++ };
    this.admin.push(added);
    return added;
  }

  register(
    clientId: string,
    url: string,
    details: Omit<DynamicWebhook, "id" | "clientId" | "url" | "expiresAt">,
  ) {
    const webhook: DynamicWebhook = {
      ...details,
      id: this.nextDynamicId++,
      clientId,
      url,
      expiresAt: this.clock.now() + DYNAMIC_WEBHOOK_LIFETIME_MS,
    };
    this.dynamic.push(webhook);
    return webhook;
  }

  /** The app's webhooks that have not expired. */
  dynamicOf(clientId: string): DynamicWebhook[] {
    const now = this.clock.now();
    return this.dynamic.filter((w) => w.clientId === clientId && w.expiresAt > now);
  }

  /** Forgets everything: webhooks, and the deliveries waiting for a retry. */
  async reset(): Promise<void> {
    this.admin.length = 0;
    this.dynamic.length = 0;
    await this.sender.close();
  }

  issueCreated(issue: StoredIssue, user: SeedUser | undefined): void {
    this.emit("jira:issue_created", issue, {
      issue_event_type_name: "issue_created",
      ...(user && { user: this.render.user(user) }),
      issue: this.render.issue(issue),
    });
  }

  issueUpdated(
    issue: StoredIssue,
    user: SeedUser | undefined,
    items: ChangelogItem[],
    eventType = "issue_updated",
  ): void {
    if (items.length === 0) return;
    this.emit(
      "jira:issue_updated",
      issue,
      {
        issue_event_type_name: eventType,
        ...(user && { user: this.render.user(user) }),
        issue: this.render.issue(issue),
        changelog: { id: String(this.nextChangelogId++), items },
      },
      items.map((i) => i.fieldId),
    );
  }

  issueDeleted(issue: StoredIssue, user: SeedUser | undefined): void {
    this.emit("jira:issue_deleted", issue, {
      issue_event_type_name: "issue_deleted",
      ...(user && { user: this.render.user(user) }),
      issue: this.render.issue(issue),
    });
  }

  /**
   * A comment added: `comment_created`, and `jira:issue_updated` as `issue_commented` (with the comment, no
   * changelog), as Jira sends both.
   */
  commentCreated(issue: StoredIssue, comment: StoredComment, user: SeedUser | undefined): void {
    const rendered = this.render.comment(issue, comment);
    this.emit("comment_created", issue, {
      comment: rendered,
      issue: this.render.issue(issue, ["summary", "issuetype", "project", "assignee", "status"]),
      eventType: "primaryAction",
    });
    this.emit("jira:issue_updated", issue, {
      issue_event_type_name: "issue_commented",
      ...(user && { user: this.render.user(user) }),
      issue: this.render.issue(issue),
      comment: rendered,
    });
  }

  private emit(
    event: JiraWebhookEvent,
    issue: StoredIssue,
    payload: Record<string, unknown>,
    changedFields: string[] = [],
  ): void {
    const body = JSON.stringify({ timestamp: this.clock.now(), webhookEvent: event, ...payload });
    for (const hook of this.admin) {
      if (!hook.events.includes(event) || !safeMatch(hook.jqlFilter, issue)) continue;
      this.send(hook.id, "admin", event, hook.url, body, hook.secret);
    }
    // An app's webhooks that match and share a URL get one delivery naming them all (`matchedWebhookIds`).
    const now = this.clock.now();
    const byUrl = new Map<string, number[]>();
    for (const hook of this.dynamic) {
      if (hook.expiresAt <= now || !hook.events.includes(event) || !safeMatch(hook.jqlFilter, issue))
        continue;
      // A dynamic webhook with a field filter hears of updates to those fields only.
      if (
        event === "jira:issue_updated" &&
        hook.fieldIdsFilter?.length &&
        !changedFields.some((f) => hook.fieldIdsFilter?.includes(f))
      ) {
        continue;
      }
      const key = JSON.stringify([hook.clientId, hook.url]);
      byUrl.set(key, [...(byUrl.get(key) ?? []), hook.id]);
    }
    for (const [key, ids] of byUrl) {
      const [, url] = JSON.parse(key) as [string, string];
      const matched = JSON.stringify({ ...JSON.parse(body), matchedWebhookIds: ids });
      this.send(ids[0] ?? 0, "dynamic", event, url, matched, undefined);
    }
  }

  private send(
    webhookId: number,
    kind: "admin" | "dynamic",
    event: JiraWebhookEvent,
    url: string,
    body: string,
    secret: string | undefined,
  ): void {
    const id = randomUUID();
    const delivery = this.sender.create({
      id,
      url,
      body,
      secret,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Atlassian Webhook HTTP Client",
        "x-atlassian-webhook-identifier": id,
        // Jira's lane for the event itself; cascades (a deleted issue's comments) go as Secondary.
        "x-atlassian-webhook-flow": "Primary",
      },
      meta: { webhookId, kind, event },
    });
    this.sender.deliver(delivery);
  }
}

/** A filter the emulator cannot read matches nothing (Jira refuses such a filter when it is registered). */
function safeMatch(jql: string | undefined, issue: StoredIssue): boolean {
  try {
    return issueMatchesFilter(jql, issue);
  } catch {
    return false;
  }
}
