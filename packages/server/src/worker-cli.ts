/**
 * @module
 * `npx -y pnpm@10 worker`: a workflow worker from the environment (DATABASE_URL, AUTOFLOW_VAULT_KEY, the
 * providers' variables; see the README). Stops gracefully on SIGINT/SIGTERM: the runs in progress finish first.
 */
import { loadServerConfig, ServerConfigError } from "./config";
import { createLogger } from "./logger";
import { PROVIDER_IDS } from "./providers";
import { configuredSecrets } from "./server";
import { startWorker } from "./worker";

async function main(): Promise<void> {
  const config = loadServerConfig(process.env, PROVIDER_IDS);
  const logger = createLogger({
    secrets: [...configuredSecrets(config), process.env.AUTOFLOW_VAULT_KEY ?? ""],
  });
  for (const warning of config.warnings) process.stderr.write(`\n!!! WARNING: ${warning}\n`);
  const worker = await startWorker(config, { logger });
  const shutdown = () => {
    worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    ServerConfigError.isInstance(error)
      ? `Configuration error: ${message}\n`
      : `Could not start: ${message}\n`,
  );
  process.exit(1);
});
