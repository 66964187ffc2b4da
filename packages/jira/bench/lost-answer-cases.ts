/**
 * @module
 * Jira's write tasks in the bench's "Effectively once" section: the emulator performs each request, then loses its
 * answer. Jira keys nothing: an issue carries the task's marker in its `autoflow` property and is found by JQL on it
 * before the create is repeated; a dynamic webhook is found by its URL, filter and events; a synced ticket converges
 * through the task store's mappings. No control: the emulator serves no undeclared write that leaves state behind
 * (bulk create, `issues.createIssues`, answers from the description only).
 */
import type { JiraEmulator } from "@autoflow/emulators";
import type { Jira } from "@autoflow/jira";
import type { LostAnswerCase } from "../../../bench/src/provider-bench";

/** The emulator's cloud id in the bench (OAuth calls go through `/ex/jira/<cloudId>`). */
export const BENCH_CLOUD_ID = "b3nch000-0000-4000-8000-000000000001";

const api = (path: string) => `/ex/jira/${BENCH_CLOUD_ID}/rest/api/3${path}`;

/** How many issues of the site have `summary`. */
export function issuesMarked(emulator: JiraEmulator, summary: string): number {
  return [...emulator.state.issues.values()].filter((issue) => issue.summary === summary).length;
}

/** How many dynamic webhooks deliver to `url`. */
function webhooksTo(emulator: JiraEmulator, url: string): number {
  return emulator.webhooks.dynamic.filter((hook) => hook.url === url).length;
}

const fields = (summary: string) => ({ project: { key: "OPS" }, issuetype: { name: "Task" }, summary });

/** Every declared write case (target 0 duplicated, 0 lost). */
export const LOST_ANSWER_CASES: LostAnswerCase<{ jira: Jira }, JiraEmulator>[] = [
  {
    task: "issues.createIssue",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: api("/issue") }),
    prepare: (_e, trial) => ({ summary: `lost-issue-${trial}` }),
    call: (io, { summary }) => io.jira.issues.createIssue("create", { fields: fields(summary ?? "") }),
    count: (e, { summary }) => issuesMarked(e, summary ?? ""),
  },
  {
    task: "webhooks.registerDynamicWebhooks",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: api("/webhook") }),
    prepare: (_e, trial) => ({ url: `https://hooks.example.com/jira/${trial}` }),
    call: (io, { url }) =>
      io.jira.webhooks.registerDynamicWebhooks("register", {
        url: url ?? "",
        webhooks: [{ events: ["jira:issue_created"], jqlFilter: "project = OPS" }],
      }),
    count: (e, { url }) => webhooksTo(e, url ?? ""),
  },
  {
    task: "tickets.sync",
    idempotency: "idempotent",
    match: () => ({ method: "POST", path: api("/issue") }),
    prepare: (_e, trial) => ({ summary: `lost-ticket-${trial}` }),
    call: (io, { summary }) =>
      io.jira.tickets.sync("sync", {
        externalId: summary ?? "",
        project: "OPS",
        issueType: "Task",
        fields: { summary: summary ?? "" },
      }),
    count: (e, { summary }) => issuesMarked(e, summary ?? ""),
  },
];
