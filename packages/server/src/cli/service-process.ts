import { loadServerConfig, type ServerConfig } from "../config";
import { createLogger, type Logger } from "../logger";
import { PROVIDER_IDS } from "../providers";
import { configuredSecrets } from "../server";

/** The configuration and scrubbing logger `serve` and `worker` start from, with start-up warnings printed. */
export function serviceFromEnv(env: NodeJS.ProcessEnv = process.env): {
  config: ServerConfig;
  logger: Logger;
} {
  const config = loadServerConfig(env, PROVIDER_IDS);
  const logger = createLogger({ secrets: [...configuredSecrets(config), env.AUTOFLOW_VAULT_KEY ?? ""] });
  for (const warning of config.warnings) process.stderr.write(`\n!!! WARNING: ${warning}\n`);
  return { config, logger };
}

/**
 * Resolves on the first SIGINT or SIGTERM (Ctrl-C). Listening from before start-up, so a signal that comes while
 * the service starts stops it once it has; a second signal while stopping exits at once with 1.
 */
export function firstSignal(): Promise<NodeJS.Signals> {
  let received = false;
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) process.exit(1);
      received = true;
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
