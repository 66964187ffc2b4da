/**
 * @module
 * Jira's rows in the bench (`bench/`, never published): what each section calls on Jira and its emulator. The bench
 * type-checks and loads this file because `@autoflow/providers` lists Jira; see `bench/src/provider-bench.ts`.
 */
import { JiraEmulator } from "@autoflow/emulators";
import { createJiraClient, Jira } from "@autoflow/jira";
import { createCloudClient } from "jira.js";
import type { ProviderBench } from "../../../bench/src/provider-bench";
import { BENCH_CLOUD_ID, issuesMarked, LOST_ANSWER_CASES } from "./lost-answer-cases";

type Integrations = { jira: Jira };

export const bench = {
  name: "Jira",
  emulator: (options) => new JiraEmulator({ ...options, cloudId: BENCH_CLOUD_ID }),
  integrations: ({ apiUrl, token }, timeoutMs) => ({
    jira: new Jira({
      id: "jira",
      token,
      apiBaseUrl: apiUrl,
      cloudId: BENCH_CLOUD_ID,
      timeoutMs,
      searchSettleMs: 500,
    }),
  }),
  overhead: {
    call: "myself.getCurrentUser",
    sdk: ({ apiUrl, token }, timeoutMs) => {
      const client = createJiraClient(token, { apiBaseUrl: apiUrl, cloudId: BENCH_CLOUD_ID, timeoutMs });
      return () => client.myself.getCurrentUser();
    },
    task: (io, i) => io.jira.myself.getCurrentUser(["me", i]),
  },
  rateLimit: {
    call: "myself.getCurrentUser",
    refusedWith: [429],
    refusal: "Jira 429 with Retry-After and X-RateLimit-Reset",
    sdk: {
      label:
        "jira.js with its retry on (`retry: { maxAttempts: 4 }`: network errors and 502/503/504 only, never 429)",
      // An API token on the site (Basic auth): jira.js's OAuth mode sends every call to Atlassian's own gateway
      // (`https://api.atlassian.com/ex/jira/...`, fixed in the SDK), which no emulator can stand in for.
      client: (_access, emulator) => {
        const { email, apiToken, siteUrl } = emulator.mintApiToken();
        const client = createCloudClient({
          host: siteUrl,
          auth: { type: "basic", email, apiToken },
          retry: { maxAttempts: 4 },
        });
        return () => client.myself.getCurrentUser();
      },
    },
    runtime: {
      label: "io.jira.myself.getCurrentUser in a job (runtime retry + rate-limit bucket)",
      task: (io, i) => io.jira.myself.getCurrentUser(["me", i]),
    },
    note: "jira.js never retries a 429 (its README: the right answer to a rate limit is to slow the whole client down), so the bare SDK's refusals reach the application; the task waits `Retry-After`/`X-RateLimit-Reset` and backs off.",
  },
  coldStart: { package: "@autoflow/jira", sdk: "jira.js" },
  effectivelyOnce: {
    lostAnswers: LOST_ANSWER_CASES,
    crashRun: {
      steps: [
        { task: "issues.createIssue", effect: "Jira issue" },
        { task: "tickets.sync", effect: "Jira issue for a ticket" },
      ],
      run: async (io, mark) => {
        await io.jira.issues.createIssue("create", {
          fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: mark },
        });
        await io.jira.tickets.sync("sync", {
          externalId: `crash-${mark}`,
          project: "OPS",
          issueType: "Task",
          fields: { summary: `ticket ${mark}` },
        });
      },
      count: (emulator, mark) => [issuesMarked(emulator, mark), issuesMarked(emulator, `ticket ${mark}`)],
    },
  },
} satisfies ProviderBench<Integrations, JiraEmulator>;
