/**
 * @module
 * `npx -y pnpm@10 serve`: starts the connection service from the environment (see the README).
 */
import { loadServerConfig, ServerConfigError } from "./config";
import { createDevToken } from "./dev-token";
import { createLogger } from "./logger";
import { PROVIDER_IDS } from "./providers";
import { configuredSecrets, startServer } from "./server";

async function main(): Promise<void> {
  const config = loadServerConfig(process.env, PROVIDER_IDS);
  const logger = createLogger({
    secrets: [...configuredSecrets(config), process.env.AUTOFLOW_VAULT_KEY ?? ""],
  });
  for (const warning of config.warnings) {
    process.stderr.write(`\n!!! WARNING: ${warning}\n`);
  }
  const server = await startServer(config, { logger });
  process.stdout.write(`AutoFlow connection service listening on ${server.url}\n`);
  if (!process.env.AUTOFLOW_HOST) {
    process.stdout.write(
      "Reachable from this machine only: set AUTOFLOW_HOST (e.g. 0.0.0.0) to listen elsewhere.\n",
    );
  }
  if (!config.production && config.jwt.jwtSecret) {
    const token = await createDevToken(config.jwt.jwtSecret, {
      userId: "dev-user",
      expiresInSeconds: 3600,
      ...(config.jwt.issuer && { issuer: config.jwt.issuer }),
      ...(config.jwt.audience && { audience: config.jwt.audience }),
    });
    process.stdout.write(
      `\nDevelopment token for user "dev-user" (valid 1 h):\n  export AUTOFLOW_TOKEN=${token}\n` +
        `  curl -H "Authorization: Bearer $AUTOFLOW_TOKEN" ${server.url}/api/integrations/${PROVIDER_IDS[0] ?? "<provider>"}/connections\n`,
    );
  }
  const shutdown = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  if (ServerConfigError.isInstance(error)) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
