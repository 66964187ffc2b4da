// A worker process for the worker-memory section: runs N one-task jobs (or, in `raw` mode, N bare SDK calls)
// of one provider's `memoryProbe` against the emulator whose URL and token it is given, and prints a memory
// sample (JSON) per line. Its own process, so the emulator's memory is not counted; it loads that provider's
// bench only.
import { defineJob, JobRunner, MemoryTaskStore } from "@autoflow/core";
import { PROVIDER_TIMEOUT_MS } from "./bench-emulators";
import { loadProviderBench } from "./load-provider-bench";

const [
  provider = "",
  mode = "runs",
  apiUrl = "",
  token = "",
  totalArg = "5000",
  concurrencyArg = "8",
  gcArg = "full",
] = process.argv.slice(2);
const total = Number(totalArg);
const mark = total / 10;
const bench = await loadProviderBench(provider);
const probe = bench?.memoryProbe;
if (!bench || !probe) throw new Error(`worker-memory child: ${provider}'s bench has no memoryProbe`);
const access = { apiUrl, token };
const job = defineJob({
  id: "bench-worker-memory",
  integrations: bench.integrations(access, PROVIDER_TIMEOUT_MS),
  run: async (_payload, io) => {
    await probe.task(io);
  },
});
// The baseline: the same calls on the bare SDK, no runtime, no task log.
const raw = probe.rawCall(access, PROVIDER_TIMEOUT_MS);

/** `--expose-gc`'s gc, with the options V8's gc extension takes. */
const gc = globalThis.gc as unknown as (options?: {
  type: "major";
  execution: "sync";
  flavor: "last-resort";
}) => void;

// `full`: a full GC, then RSS as the process holds it busy. `memory-reducing`: V8's last-resort GC (the one it
// runs under memory pressure), which also gives back the pages V8 keeps in reserve for the allocation rate:
// what is left is what the runs retain.
const sample = (runs: number) => {
  if (gcArg === "memory-reducing") gc({ type: "major", execution: "sync", flavor: "last-resort" });
  else gc();
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
