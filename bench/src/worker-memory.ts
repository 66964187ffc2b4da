import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startEmulators } from "./bench-emulators";
import { firstProviderWith } from "./provider-benches";
import type { BenchSection, SectionResult, TargetResult } from "./section";
import { table } from "./stats";

/** RSS may grow by at most this fraction between the warm-up mark and the end. */
const MAX_GROWTH = 0.1;
/** Runs in flight at once, as a worker with a few slots would run them. */
const CONCURRENCY = 8;

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const childScript = fileURLToPath(new URL("./worker-memory-child.ts", import.meta.url));

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface Sample {
  runs: number;
  rss: number;
  heap: number;
  /** What V8 has reserved for the heap: its young generation sizes itself to the allocation rate. */
  heapTotal: number;
}

/**
 * How the worker's memory is read. With V8's defaults, busy RSS also counts the heap V8 reserves, and V8 sizes
 * its young generation as it goes: it doubles it (up to 2 x 64 MiB on this machine) each time the bytes that
 * survived young-generation GCs since the last doubling add up to its size, so a busy process takes one or two
 * such steps at a run count that depends on how much each run allocates and keeps across a GC (in the
 * full run of 2026-12-07 17:38, the worker's between runs 5,000 and 10,000 and 30,000 and 40,000, the bare
 * SDK's between 30,000 and 40,000), whatever it retains. Three readings
 * take that reserve out, so what RSS still gains is retention: the young generation sized from the start
 * (`--min-semi-space-size` = `--max-semi-space-size`, V8's own maximum here: the defaults' end state without
 * the steps), the defaults sampled after V8's memory-reducing GC (which gives the reserve back), and
 * `--optimize-for-size` (which keeps V8 from over-reserving). A fifth reading is the setting core's README
 * advises a long-running worker: semi-spaces capped at 16 MiB, so they never double.
 */
const HEAP_CONFIGS = [
  { id: "default", label: "V8 defaults, busy", flags: [], gc: "full" },
  {
    id: "young-generation-sized",
    label: "V8 defaults with the young generation sized from the start (64 MiB semi-spaces), busy",
    flags: ["--min-semi-space-size=64", "--max-semi-space-size=64"],
    gc: "full",
  },
  {
    id: "default-retained",
    label: "V8 defaults, after a memory-reducing GC",
    flags: [],
    gc: "memory-reducing",
  },
  { id: "optimize-for-size", label: "`--optimize-for-size`", flags: ["--optimize-for-size"], gc: "full" },
  // What core's README advises a long-running worker to start with: a young generation that never doubles.
  {
    id: "young-generation-capped",
    label:
      "`--max-semi-space-size=16` (the young generation capped, as core's README advises a long-running worker), busy",
    flags: ["--max-semi-space-size=16"],
    gc: "full",
  },
] as const;

/**
 * Why RSS grew from `warm` to `last` when the heap V8 reserves grew as much while the heap in use stayed flat
 * (V8 sizing its young generation up, not the runs retaining memory); undefined otherwise.
 */
function reserveGrowth(warm: Sample, last: Sample): string | undefined {
  const rss = last.rss - warm.rss;
  const reserved = last.heapTotal - warm.heapTotal;
  const used = last.heap - warm.heap;
  if (reserved < rss * 0.8 || used > warm.heap * 0.1) return undefined;
  return `RSS grew ${mib(rss)} while the heap V8 reserves grew ${mib(reserved)} (its young generation, sized to what has survived young GCs) and the heap in use ${mib(used)}; read with the young generation sized from the start or capped, after V8's memory-reducing GC, or under \`--optimize-for-size\` (the other rows), RSS does not grow`;
}

/** Runs the worker process to the end; resolves to its samples and failed-run count. */
function runWorker(
  provider: string,
  mode: "runs" | "raw",
  apiUrl: string,
  token: string,
  total: number,
  config: (typeof HEAP_CONFIGS)[number],
): Promise<{ samples: Sample[]; failed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--expose-gc",
        ...config.flags,
        "--import",
        "tsx",
        childScript,
        provider,
        mode,
        apiUrl,
        token,
        String(total),
        String(CONCURRENCY),
        config.gc,
      ],
      { cwd: benchDir, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`worker-memory child exited ${code}`));
      const lines = out
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Partial<Sample> & { failed?: number });
      resolve({
        samples: lines.filter((line): line is Sample => line.runs !== undefined),
        failed: lines.find((line) => line.failed !== undefined)?.failed ?? 0,
      });
    });
  });
}

/**
 * A long-lived worker process: N one-task runs (the first listed provider's `memoryProbe`: a read that leaves
 * no state behind) of one job through one runner, each with its own in-memory task log, against the emulator
 * in this process (so the emulator's memory is not the worker's). Before the provider kit every run built an
 * SDK client (53-106 µs of CPU) and a worker's RSS grew from 63 to 181 MiB over 50,000 runs with a flat heap;
 * the kit builds one client per token and reuses it across runs. Until the runtime stopped combining abort
 * signals with `AbortSignal.any()` (`forwardAbort` in core), each run's signals and what they held outlived
 * young-generation GCs. Until the kit sent through `nodeHttpFetch` rather than Node's fetch, every request's
 * objects did too (undici's `WeakRef`s and `FinalizationRegistry`), with the run whose async context they
 * carried: about 28 KiB promoted per run, busy RSS settling at 316-325 MiB; now about 1 KiB per run and
 * 220-230 MiB. What busy RSS still gains under V8's defaults is the young generation's last doubling (see
 * `HEAP_CONFIGS`).
 */
export const workerMemory: BenchSection = {
  id: "worker-memory",
  title: "7. Worker memory over many runs",
  run: async (context): Promise<SectionResult> => {
    const total = context.quick ? 5_000 : 50_000;
    const mark = total / 10;
    const representative = await firstProviderWith("memoryProbe");
    if (!representative) {
      const why = "no listed provider's bench has `memoryProbe`";
      return {
        rows: [],
        markdown: `Not measured: ${why}.`,
        targets: [
          { name: "Worker RSS growth", measured: "-", target: `< ${MAX_GROWTH * 100}%`, met: undefined, why },
        ],
      };
    }
    const emulators = await startEmulators([representative]);
    try {
      const [started] = emulators.providers;
      if (!started) throw new Error(`no emulator started for ${representative.id}`);
      const target = { ...started.access, label: representative.role.label };
      const growthOf = (of: Sample[]) => {
        const warm = of.find((s) => s.runs === mark);
        const last = of.at(-1);
        if (!warm || !last) throw new Error("no memory samples");
        return { warm, last, growth: (last.rss - warm.rss) / warm.rss };
      };
      const targets: TargetResult[] = [];
      const rows: Record<string, unknown>[] = [];
      const markdown: string[] = [
        `${total.toLocaleString("en")} one-task runs (${target.label} against the emulator) in a worker process, ${CONCURRENCY} at a time, one runner, a fresh in-memory task log per run; memory sampled after a full GC (busy), or after V8's memory-reducing GC. The same calls on the bare SDK (no runtime, no task log) are the baseline, under each V8 heap configuration.`,
      ];
      for (const config of HEAP_CONFIGS) {
        context.log(`  ${total} runs in a worker process (${config.id}), then ${total} bare SDK calls`);
        const { samples, failed } = await runWorker(
          representative.id,
          "runs",
          target.apiUrl,
          target.token,
          total,
          config,
        );
        const baseline = await runWorker(
          representative.id,
          "raw",
          target.apiUrl,
          target.token,
          total,
          config,
        );
        const { warm, last, growth } = growthOf(samples);
        const base = growthOf(baseline.samples);
        targets.push({
          name: `Worker RSS growth from run ${mark.toLocaleString("en")} to run ${total.toLocaleString("en")}, ${config.label}`,
          measured: `${(growth * 100).toFixed(1)}% (${mib(warm.rss)} -> ${mib(last.rss)}); bare SDK ${(base.growth * 100).toFixed(1)}% (${mib(base.warm.rss)} -> ${mib(base.last.rss)})`,
          target: `< ${MAX_GROWTH * 100}%`,
          // The quick run ends inside the allocator's warm-up (about 3,000 runs here): it shows the shape,
          // not the figure.
          met: context.quick ? undefined : growth < MAX_GROWTH && failed === 0,
          ...(context.quick && {
            why: "quick run: shorter than the warm-up; the full run measures the target",
          }),
          ...(!context.quick && failed > 0 && { why: `${failed} runs failed` }),
          ...(!context.quick &&
            failed === 0 &&
            growth >= MAX_GROWTH && {
              why: reserveGrowth(warm, last) ?? "RSS kept growing after the warm-up",
            }),
        });
        rows.push(
          ...samples.map((s, i) => ({
            heap: config.id,
            runs: s.runs,
            rssBytes: s.rss,
            heapBytes: s.heap,
            heapTotalBytes: s.heapTotal,
            baselineRssBytes: baseline.samples[i]?.rss,
            baselineHeapBytes: baseline.samples[i]?.heap,
            baselineHeapTotalBytes: baseline.samples[i]?.heapTotal,
          })),
        );
        markdown.push(
          "",
          `${config.label}:`,
          "",
          table(
            [
              "runs",
              "RSS",
              "heap used",
              "heap total",
              "bare SDK: RSS",
              "bare SDK: heap used",
              "bare SDK: heap total",
            ],
            samples.map((s, i) => [
              s.runs.toLocaleString("en"),
              mib(s.rss),
              mib(s.heap),
              mib(s.heapTotal),
              mib(baseline.samples[i]?.rss ?? Number.NaN),
              mib(baseline.samples[i]?.heap ?? Number.NaN),
              mib(baseline.samples[i]?.heapTotal ?? Number.NaN),
            ]),
          ),
        );
      }
      return { rows, markdown: markdown.join("\n"), targets };
    } finally {
      await emulators.stop();
    }
  },
};
