import { defineJob, JobRunner, MemoryTaskStore } from "@autoflow/core";
import type { EmulatorServer } from "@autoflow/emulators";
import { LogLevel, WebClient } from "@slack/web-api";
import { Octokit } from "octokit";
import {
  type Emulators,
  GITHUB_REPO,
  githubIntegration,
  SLACK_CHANNEL,
  slackIntegration,
  startEmulators,
} from "./providers";
import type { BenchSection, SectionResult, TargetResult } from "./section";
import { nowMs, ratio, table } from "./stats";

/** Calls in flight at once, the same for every variant: a job fanning out, or a script with a pool. */
const CONCURRENCY = 10;
const TARGET_RATIO = 1.1;
const ISSUE = { ...GITHUB_REPO, issue_number: 1 } as const;
const quietLog = { debug() {}, info() {}, warn() {}, error: console.error };

interface Measured {
  provider: string;
  call: string;
  variant: "sdk" | "runtime";
  label: string;
  seconds: number;
  refused: number;
  failed: number;
}

type Variant = {
  provider: "Slack" | "GitHub";
  call: string;
  variant: Measured["variant"];
  label: string;
  /** Runs `calls` calls with CONCURRENCY in flight; resolves to how many failed for good. */
  run: (emulators: Emulators, calls: number) => Promise<number>;
};

const VARIANTS: readonly Variant[] = [
  {
    provider: "Slack",
    call: "chat.postMessage",
    variant: "sdk",
    label: "WebClient, default retryConfig (queues on 429, waits Retry-After)",
    run: (emulators, calls) => {
      const client = new WebClient(emulators.slackToken, {
        slackApiUrl: emulators.slack.apiUrl,
        logLevel: LogLevel.ERROR,
      });
      return pool(calls, (i) => client.chat.postMessage({ channel: SLACK_CHANNEL, text: `sdk ${i}` }));
    },
  },
  {
    provider: "Slack",
    call: "chat.postMessage",
    variant: "runtime",
    label: "io.slack.chat.postMessage in a job (runtime retry + rate-limit bucket)",
    run: (emulators, calls) =>
      inJob({ slack: slackIntegration(emulators) }, calls, (io, i) =>
        io.slack.chat.postMessage(["post", i], { channel: SLACK_CHANNEL, text: `task ${i}` }),
      ),
  },
  {
    provider: "GitHub",
    call: "issues.get",
    variant: "sdk",
    label: "`octokit` Octokit defaults (throttling + retry plugins)",
    run: (emulators, calls) => {
      const octokit = new Octokit({
        auth: emulators.githubToken,
        baseUrl: emulators.github.url,
        log: quietLog,
      });
      return pool(calls, () => octokit.rest.issues.get(ISSUE));
    },
  },
  {
    provider: "GitHub",
    call: "issues.get",
    variant: "runtime",
    label: "io.github.issues.get in a job (runtime retry + rate-limit bucket)",
    run: (emulators, calls) =>
      inJob({ github: githubIntegration(emulators) }, calls, (io, i) =>
        io.github.issues.get(["get", i], ISSUE),
      ),
  },
];

/**
 * Item 2: `calls` calls against an emulator that allows `R` requests per second (a fixed one-second
 * window) and refuses beyond it with the provider's own answer (Slack 429 + Retry-After; GitHub's
 * secondary limit, 403 + retry-after). Time over the ideal calls / R, and how many refusals each
 * approach provoked. Every variant gets fresh emulators, so windows and counts are its own.
 */
export const rateLimitGoodput: BenchSection = {
  id: "rate-limit",
  title: "2. Rate-limit goodput",
  run: async (context) => {
    const calls = context.quick ? 120 : 500;
    const perSecond = context.quick ? 40 : 50;
    const ideal = calls / perSecond;
    const results: Measured[] = [];
    for (const variant of VARIANTS) {
      context.log(`${variant.provider} ${variant.variant}: ${calls} calls at ${perSecond}/s`);
      const emulators = await startEmulators();
      try {
        const server: EmulatorServer =
          variant.provider === "Slack" ? emulators.slack.server : emulators.github.server;
        if (variant.provider === "Slack") emulators.slack.rateLimit(perSecond, 1_000);
        else emulators.github.rateLimit(perSecond, 1_000);
        server.clearRequests();
        const started = nowMs();
        const failed = await variant.run(emulators, calls);
        const seconds = (nowMs() - started) / 1000;
        const refused = server.requests.filter((r) => r.outcome === 429 || r.outcome === 403).length;
        results.push({ ...variant, seconds, refused, failed });
      } finally {
        await emulators.stop();
      }
    }

    const targets: TargetResult[] = [];
    for (const provider of ["Slack", "GitHub"] as const) {
      const sdk = results.find((r) => r.provider === provider && r.variant === "sdk");
      const ours = results.find((r) => r.provider === provider && r.variant === "runtime");
      if (!sdk || !ours) continue;
      const over = ours.seconds / ideal;
      targets.push({
        name: `${provider} ${ours.call}: time over ideal ${calls}/${perSecond} s`,
        measured: `${ratio(over)} (${ours.seconds.toFixed(2)} s)`,
        target: `<= ${ratio(TARGET_RATIO)}`,
        met: over <= TARGET_RATIO && ours.failed === 0,
        ...(over > TARGET_RATIO && {
          why: "the bucket's window is measured up to a reset given in whole seconds, an upper bound, so it paces a little below the limit",
        }),
        ...(ours.failed > 0 && { why: `${ours.failed} calls failed` }),
      });
      targets.push({
        name: `${provider} ${ours.call}: refusals provoked vs the SDK's own retry`,
        measured: `${ours.refused} vs ${sdk.refused}`,
        target: "fewer than the SDK",
        met: ours.refused < sdk.refused,
        ...(ours.refused >= sdk.refused && {
          why: "the bucket learns the limit from the first window's refusals; with so few windows that is most of them",
        }),
      });
    }
    const markdown = [
      `${calls} calls, ${CONCURRENCY} in flight, against an emulator allowing ${perSecond} requests per one-second window; ideal ${ideal.toFixed(2)} s (calls / R). Refusals are the emulator's rate-limited answers (Slack 429, GitHub secondary-limit 403 with retry-after).`,
      "",
      table(
        ["provider", "call", "approach", "time", "over ideal", "refusals provoked", "calls failed"],
        results.map((r) => [
          r.provider,
          `\`${r.call}\``,
          r.label,
          `${r.seconds.toFixed(2)} s`,
          ratio(r.seconds / ideal),
          String(r.refused),
          String(r.failed),
        ]),
      ),
      "",
      "GitHub uses a read (`issues.get`): Octokit's throttling plugin queues every write at least 1 s apart, and writes that notify (such as `issues.create`) 3 s apart, whatever the limit; 500 `issues.create` through Octokit's defaults would take at least 25 minutes (150x the ideal at R=50), so writes are not a fair race for its retry logic. Octokit's default `onSecondaryRateLimit` retries a refused request once; a second refusal fails the call (\"calls failed\").",
      "",
      "Our runtime: each refusal is retried by the runtime at the provider's reset, and every task of the same provider connection in the run shares a rate-limit bucket (`packages/core/src/rate-limit/`) that holds all calls until that reset and then paces them at the limit it learned from the first refused window.",
    ].join("\n");
    return {
      rows: results.map((r) => ({
        ...r,
        calls,
        perSecond,
        idealSeconds: ideal,
        overIdeal: r.seconds / ideal,
      })),
      markdown,
      targets,
    } satisfies SectionResult;
  },
};

/** Runs `call(0..calls-1)` with CONCURRENCY in flight; resolves to the number of calls that threw. */
async function pool(calls: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      try {
        await call(i);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failed;
}

/** The same pool inside one job run (in-memory log); resolves to the number of tasks that failed. */
async function inJob<I extends Parameters<typeof defineJob>[0]["integrations"] & object>(
  integrations: I,
  calls: number,
  call: (io: import("@autoflow/core").JobIO<I>, i: number) => Promise<unknown>,
): Promise<number> {
  let failed = 0;
  const job = defineJob({
    id: "bench-rate-limit",
    integrations,
    run: async (_payload, io) => {
      failed = await pool(calls, (i) => call(io, i));
    },
  });
  const result = await new JobRunner({ store: new MemoryTaskStore() }).run(job);
  if (result.status !== "completed")
    throw new Error(`rate-limit run ${result.status}: ${JSON.stringify(result)}`);
  return failed;
}
