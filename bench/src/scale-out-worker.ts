// One workflow worker process of the scale-out bench: `startWorker` from the environment the bench passes
// (DATABASE_URL, the vault key, the step target emulator's URL, PG_OPTIONS for the bench schema, QUEUE_SCHEMA).
import { createLogger, loadServerConfig, PROVIDER_IDS, startWorker } from "@autoflow/server";

const config = loadServerConfig(process.env, PROVIDER_IDS);
const worker = await startWorker(config, {
  logger: createLogger({ sink: () => {} }),
  postgres: { options: process.env.PG_OPTIONS ?? "" },
  queue: {
    ...(process.env.QUEUE_SCHEMA && { schema: process.env.QUEUE_SCHEMA }),
    pollingIntervalSeconds: 0.5,
  },
});
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
