// A worker process for the worker-memory section: runs N one-task jobs (or, in `raw` mode, N bare SDK calls)
// against the emulator whose URL and token it is given, and prints a memory sample (JSON) per line. Its own process, so the emulator's memory
// is not counted.
import { JobRunner, MemoryTaskStore } from "@autoflow/core";
import { memoryProbeJob, memoryProbeRawCall } from "./providers";

const [mode = "runs", apiUrl = "", token = "", totalArg = "5000", concurrencyArg = "8"] =
  process.argv.slice(2);
const total = Number(totalArg);
const mark = total / 10;
const job = memoryProbeJob(apiUrl, token);
// The baseline: the same calls on the bare SDK, no runtime, no task log.
const raw = memoryProbeRawCall(apiUrl, token);

const sample = (runs: number) => {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ runs, rss: usage.rss, heap: usage.heapUsed, heapTotal: usage.heapTotal })}\n`,
  );
};

let started = 0;
let failed = 0;
const slot = async () => {
  while (started < total) {
    const n = ++started;
    if (mode === "raw") await raw().catch(() => failed++);
    else {
      const result = await new JobRunner({ store: new MemoryTaskStore() }).run(job, { runId: `m-${n}` });
      if (result.status !== "completed") failed++;
    }
    if (n === mark || n % (total / 5) === 0) sample(n);
  }
};
sample(0);
await Promise.all(Array.from({ length: Number(concurrencyArg) }, slot));
process.stdout.write(`${JSON.stringify({ failed })}\n`);
