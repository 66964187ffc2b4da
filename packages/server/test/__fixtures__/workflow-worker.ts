// A workflow worker in a process of its own, for the scale-out test. Env: the usual AUTOFLOW_* configuration with
// DATABASE_URL, PG_OPTIONS (the test schema's search_path), QUEUE_SCHEMA, WORKER_NAME, and CRASH_AFTER_STEP=<id>
// (with CRASH_ON=<n>: SIGKILL this process right after the n-th run's step <id> is recorded done, as a machine dying would).
// Prints one line per run event it executes: "<worker> <event> <runId> <taskId>".
import { loadServerConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { PROVIDER_IDS } from "../../src/providers";
import { configuredSecrets } from "../../src/server";
import { startWorker } from "../../src/worker";

const name = process.env.WORKER_NAME ?? "worker";
const crashAfter = process.env.CRASH_AFTER_STEP;
const crashOn = Number(process.env.CRASH_ON ?? "1");
let completedCrashSteps = 0;
const config = loadServerConfig(process.env, PROVIDER_IDS);
const worker = await startWorker(config, {
  logger: createLogger({ secrets: configuredSecrets(config) }),
  postgres: { options: process.env.PG_OPTIONS ?? "" },
  queue: {
    ...(process.env.QUEUE_SCHEMA && { schema: process.env.QUEUE_SCHEMA }),
    superviseIntervalSeconds: 1,
    pollingIntervalSeconds: 0.5,
  },
  actionProviders: { slack: { timeoutMs: 10_000 } },
  onEvent: (event) => {
    if (event.type === "task.completed") {
      process.stdout.write(`${name} completed ${event.runId} ${event.task.id}\n`);
      if (crashAfter && event.task.id === crashAfter && ++completedCrashSteps === crashOn) {
        process.stdout.write(`${name} crashing in ${event.runId}\n`);
        process.kill(process.pid, "SIGKILL");
      }
    } else if (event.type === "run.started") {
      process.stdout.write(`${name} started ${event.runId} ${event.resumed ? "resumed" : "new"}\n`);
    }
  },
});
process.stdout.write(`${name} ready\n`);
process.once("SIGTERM", () => {
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
