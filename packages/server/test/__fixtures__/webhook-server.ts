// The service in a process of its own, for the crash test. Env: the usual AUTOFLOW_* configuration, EFFECTS_FILE
// (each run's side effect is a line there) and EXIT_AFTER_INBOX_WRITE=1 (exit 137 right after the inbox write,
// before the dispatcher is woken and before the answer is sent, as a SIGKILL at that moment would).
// Run with TSX_TSCONFIG_PATH pointing at the tsconfig beside it, so the workspace packages load from source.
import { appendFileSync } from "node:fs";
import { defineJob } from "@autoflow/core";
import { loadServerConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { PROVIDER_IDS } from "../../src/providers";
import { configuredSecrets, startServer } from "../../src/server";
import { WEBHOOK_PROVIDERS } from "../../src/webhooks";
import { HMAC_PROVIDER, openedIn } from "../hmac-webhook-provider";

const effects = process.env.EFFECTS_FILE;
if (!effects) throw new Error("EFFECTS_FILE is required");

const job = defineJob({
  id: "record-opened",
  trigger: openedIn("octo/hello"),
  run: async (payload, io) =>
    io.runTask("side-effect", async (task) => {
      appendFileSync(effects, `${payload.number} ${task.idempotencyKey}\n`);
    }),
});

const config = loadServerConfig(process.env, [...PROVIDER_IDS, HMAC_PROVIDER.id]);
const server = await startServer(config, {
  hostname: "127.0.0.1",
  logger: createLogger({ secrets: configuredSecrets(config) }),
  jobs: [job],
  webhookProviders: [...WEBHOOK_PROVIDERS, HMAC_PROVIDER],
  ...(process.env.EXIT_AFTER_INBOX_WRITE === "1" && { onWebhookAccepted: () => process.exit(137) }),
});
process.stdout.write(`listening on ${server.url}\n`);
process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
