import { defineJob, type JobIntegrations, type JobIO, JobRunner, MemoryTaskStore } from "@autoflow/core";
import { PROVIDER_TIMEOUT_MS, startEmulators } from "./bench-emulators";
import type { BenchEmulator, EmulatorAccess, ListedProviderBench } from "./provider-bench";
import { listedProviderBenches } from "./provider-benches";
import type { BenchSection, SectionResult, TargetResult } from "./section";
import { nowMs, ratio, table } from "./stats";

/** Calls in flight at once, the same for every variant: a job fanning out, or a script with a pool. */
const CONCURRENCY = 10;
const TARGET_RATIO = 1.1;

interface Measured {
  provider: string;
  call: string;
  variant: "sdk" | "runtime";
  label: string;
  seconds: number;
  refused: number;
  failed: number;
}

/** One approach to one provider's call: the SDK's own retry, or the provider's task in a job. */
interface Variant {
  listed: ListedProviderBench;
  variant: Measured["variant"];
  label: string;
}

/**
 * Runs `calls` calls of `variant` with CONCURRENCY in flight against `access`; resolves to how many failed
 * for good.
 */
function runVariant(
  { listed: { bench }, variant }: Variant,
  { access, emulator }: { access: EmulatorAccess; emulator: BenchEmulator },
  calls: number,
): Promise<number> {
  if (variant === "sdk") return pool(calls, bench.rateLimit.sdk.client(access, emulator));
  return inJob(bench.integrations(access, PROVIDER_TIMEOUT_MS), calls, (io, i) =>
    bench.rateLimit.runtime.task(io, i),
  );
}

/**
 * Item 2: `calls` calls against an emulator that allows `R` requests per second (a fixed one-second
 * window) and refuses beyond it with the provider's own answer (`rateLimit.refusedWith` of its bench), for
 * every listed provider. Time over the ideal calls / R, and how many refusals each approach provoked. Every
 * variant gets a fresh emulator, so windows and counts are its own.
 */
export const rateLimitGoodput: BenchSection = {
  id: "rate-limit",
  title: "2. Rate-limit goodput",
  run: async (context) => {
    const calls = context.quick ? 120 : 500;
    const perSecond = context.quick ? 40 : 50;
    const ideal = calls / perSecond;
    const listed = await listedProviderBenches();
    const variants: Variant[] = listed.flatMap((provider) => [
      { listed: provider, variant: "sdk" as const, label: provider.bench.rateLimit.sdk.label },
      { listed: provider, variant: "runtime" as const, label: provider.bench.rateLimit.runtime.label },
    ]);
    const results: Measured[] = [];
    for (const variant of variants) {
      const { bench } = variant.listed;
      context.log(`${bench.name} ${variant.variant}: ${calls} calls at ${perSecond}/s`);
      // Fresh emulators for every variant, so windows and counts are its own.
      const emulators = await startEmulators([variant.listed]);
      try {
        const [started] = emulators.providers;
        if (!started) throw new Error(`no emulator started for ${bench.name}`);
        const { server } = started.emulator;
        started.emulator.rateLimit(perSecond, 1_000);
        server.clearRequests();
        const startedAt = nowMs();
        const failed = await runVariant(variant, started, calls);
        const seconds = (nowMs() - startedAt) / 1000;
        const refused = server.requests.filter(
          (r) => typeof r.outcome === "number" && bench.rateLimit.refusedWith.includes(r.outcome),
        ).length;
        results.push({
          provider: bench.name,
          call: bench.rateLimit.call,
          variant: variant.variant,
          label: variant.label,
          seconds,
          refused,
          failed,
        });
      } finally {
        await emulators.stop();
      }
    }

    const targets: TargetResult[] = [];
    for (const provider of listed.map((l) => l.bench.name)) {
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
      `${calls} calls, ${CONCURRENCY} in flight, against an emulator allowing ${perSecond} requests per one-second window; ideal ${ideal.toFixed(2)} s (calls / R). Refusals are the emulator's rate-limited answers (${listed.map((l) => l.bench.rateLimit.refusal).join(", ")}).`,
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
      ...listed.flatMap((l) => (l.bench.rateLimit.note ? ["", l.bench.rateLimit.note] : [])),
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
async function inJob<I extends JobIntegrations>(
  integrations: I,
  calls: number,
  call: (io: JobIO<I>, i: number) => Promise<unknown>,
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
