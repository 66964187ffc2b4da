/**
 * @module
 * GitHub's rows in the bench (`bench/`, never published): what each section calls on GitHub and its emulator.
 * The bench type-checks and loads this file because `@autoflow/providers` lists GitHub; see
 * `bench/src/provider-bench.ts`.
 */
import { GithubEmulator } from "@autoflow/emulators";
import { createOctokit, Github } from "@autoflow/github";
import { Octokit } from "octokit";
import type { ProviderBench } from "../../../bench/src/provider-bench";
import { hello, LOST_ANSWER_CASES } from "./lost-answer-cases";
import { REPO } from "./seeds";
import { ISSUE_DELIVERIES } from "./webhook-deliveries";

type Integrations = { github: Github };

const ISSUE = { ...REPO, issue_number: 1 } as const;
const quietLog = { debug() {}, info() {}, warn() {}, error: console.error };

export const bench = {
  name: "GitHub",
  emulator: (options) => new GithubEmulator(options),
  integrations: ({ apiUrl, token }, timeoutMs) => ({
    github: new Github({ id: "github", token, baseUrl: apiUrl, timeoutMs }),
  }),
  overhead: {
    call: "issues.create",
    sdk: ({ apiUrl, token }, timeoutMs) => {
      const octokit = createOctokit(token, { baseUrl: apiUrl, timeoutMs });
      return (i) => octokit.rest.issues.create({ ...REPO, title: `sdk ${i}` });
    },
    task: (io, i) => io.github.issues.create(["issue", i], { ...REPO, title: `task ${i}` }),
  },
  rateLimit: {
    call: "issues.get",
    refusedWith: [403, 429],
    refusal: "GitHub secondary-limit 403 with retry-after",
    sdk: {
      label: "`octokit` Octokit defaults (throttling + retry plugins)",
      client: ({ apiUrl, token }) => {
        const octokit = new Octokit({ auth: token, baseUrl: apiUrl, log: quietLog });
        return () => octokit.rest.issues.get(ISSUE);
      },
    },
    runtime: {
      label: "io.github.issues.get in a job (runtime retry + rate-limit bucket)",
      task: (io, i) => io.github.issues.get(["get", i], ISSUE),
    },
    note: "GitHub uses a read (`issues.get`): Octokit's throttling plugin queues every write at least 1 s apart, and writes that notify (such as `issues.create`) 3 s apart, whatever the limit; 500 `issues.create` through Octokit's defaults would take at least 25 minutes (150x the ideal at R=50), so writes are not a fair race for its retry logic. Octokit's default `onSecondaryRateLimit` retries a refused request once; a second refusal fails the call (\"calls failed\").",
  },
  coldStart: { package: "@autoflow/github", sdk: "octokit" },
  effectivelyOnce: {
    lostAnswers: LOST_ANSWER_CASES,
    crashRun: {
      steps: [
        { task: "issues.create", effect: "GitHub issue" },
        { task: "issues.createComment", effect: "GitHub comment" },
      ],
      run: async (io, mark) => {
        const issue = await io.github.issues.create("issue", { ...REPO, title: mark });
        await io.github.issues.createComment("comment", { ...REPO, issue_number: issue.number, body: mark });
      },
      count: (emulator, mark) => {
        const issues = hello(emulator).issues.filter((i) => i.title === mark);
        const comments = issues
          .flatMap((i) => i.comments)
          .filter((c) => c.body.startsWith(`${mark}\n\n<!--`));
        return [issues.length, comments.length];
      },
    },
  },
  webhookLoad: ISSUE_DELIVERIES,
} satisfies ProviderBench<Integrations, GithubEmulator>;
