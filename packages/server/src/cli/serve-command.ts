import { createDevToken } from "../dev-token";
import { createSignInToken } from "../http/browser-session";
import { PROVIDER_IDS } from "../providers";
import { startServer } from "../server";
import { answeredHelp, type CliCommand } from "./cli-command";
import { usageWithEnvironment } from "./environment-help";
import { firstSignal, serviceFromEnv } from "./service-process";
import { signInLink } from "./token-command";

/** `autoflow serve`: the connection service from the environment, until Ctrl-C (exit 0). */
export const serveCommand: CliCommand = {
  name: "serve",
  summary: "Run the connection service (HTTP API, webhooks, workflows) until Ctrl-C",
  usage: usageWithEnvironment([
    "Usage: autoflow serve",
    "",
    "Runs the connection service from the environment until Ctrl-C (SIGINT) or SIGTERM, which stop it",
    "cleanly (exit 0). With SQLite (the default) it also executes workflow runs; outside production it",
    "prints a dashboard sign-in link and a development token for user dev-user (autoflow token makes more).",
  ]),
  async run(args) {
    if (answeredHelp(this, args)) return 0;
    const signalled = firstSignal();
    const { config, logger } = serviceFromEnv();
    const server = await startServer(config, { logger });
    process.stdout.write(`AutoFlow connection service listening on ${server.url}\n`);
    if (!process.env.AUTOFLOW_HOST) {
      process.stdout.write(
        "Reachable from this machine only: set AUTOFLOW_HOST (e.g. 0.0.0.0) to listen elsewhere.\n",
      );
    }
    if (!config.production && config.jwt.jwtSecret) {
      const claims = {
        userId: "dev-user",
        ...(config.jwt.issuer && { issuer: config.jwt.issuer }),
        ...(config.jwt.audience && { audience: config.jwt.audience }),
      };
      const token = await createDevToken(config.jwt.jwtSecret, { ...claims, expiresInSeconds: 3600 });
      const signIn = await createSignInToken(config.jwt.jwtSecret, claims);
      // The dashboard: one click signs the browser in (the link works once, for 10 minutes).
      process.stdout.write(
        `\nDashboard for user "dev-user": open this link once (valid 10 min; autoflow token --user <id> --sign-in makes another):\n` +
          `  Sign in: ${signInLink(server.url, signIn)}\n`,
      );
      process.stdout.write(
        `\nDevelopment token for user "dev-user" (valid 1 h; autoflow token --user <id> makes another):\n` +
          `  export AUTOFLOW_TOKEN=${token}\n` +
          `  curl -H "Authorization: Bearer $AUTOFLOW_TOKEN" ${server.url}/api/integrations/${PROVIDER_IDS[0] ?? "<provider>"}/connections\n`,
      );
    }
    const signal = await signalled;
    await server.close();
    process.stdout.write(`Stopped (${signal}).\n`);
    return 0;
  },
};
