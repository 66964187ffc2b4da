import { startWorker } from "../worker";
import { answeredHelp, type CliCommand } from "./cli-command";
import { usageWithEnvironment } from "./environment-help";
import { firstSignal, serviceFromEnv } from "./service-process";

/** `autoflow worker`: a workflow worker on PostgreSQL, until Ctrl-C (the runs in progress finish first). */
export const workerCommand: CliCommand = {
  name: "worker",
  summary: "Run a workflow worker (PostgreSQL: DATABASE_URL) until Ctrl-C",
  usage: usageWithEnvironment([
    "Usage: autoflow worker",
    "",
    "Takes workflow runs from the shared queue in PostgreSQL (DATABASE_URL) and executes them with the",
    "credentials in the vault (AUTOFLOW_VAULT_KEY). Start as many as the work needs, on any machine that",
    "reaches the database. Ctrl-C (SIGINT) or SIGTERM stops it after the runs in progress (exit 0).",
  ]),
  async run(args) {
    if (answeredHelp(this, args)) return 0;
    const signalled = firstSignal();
    const { config, logger } = serviceFromEnv();
    const worker = await startWorker(config, { logger });
    await signalled;
    await worker.close();
    return 0;
  },
};
