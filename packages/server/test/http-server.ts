import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadServerConfig, type ServerConfig } from "../src/config";
import { createDevToken } from "../src/dev-token";
import { createLogger } from "../src/logger";
import { PROVIDER_IDS } from "../src/providers";
import { configuredSecrets, type RunningServer, type StartServerOptions, startServer } from "../src/server";
import { generateVaultKey } from "../src/vault/vault";
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from "./postgres-test-schema";
import { tempSqlitePath } from "./sqlite-temp";

/** The store kinds every HTTP suite runs on; PostgreSQL only when AUTOFLOW_TEST_DATABASE_URL is set. */
export const STORE_KINDS = ["sqlite", "postgres"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** A running service on a fresh database, with its captured log and every response body it sent. */
export interface TestServer {
  server: RunningServer;
  config: ServerConfig;
  /** The environment the configuration was loaded from (a worker process of the same service needs it). */
  env: Record<string, string>;
  url: string;
  /** Every scrubbed log line. */
  logs: string[];
  /** Every response body `call` received. */
  responses: string[];
  /** The SQLite file (SQLite runs only). */
  sqlitePath?: string;
  schema?: TestSchema;
  jwtSecret: string;
  /** A valid HS256 user token. */
  token(userId: string): Promise<string>;
  /** `fetch` against the service as `userId` (no Authorization when `null`), recording the body. */
  call(
    method: string,
    path: string,
    options?: { user?: string | null; body?: unknown; rawBody?: string; authorization?: string },
  ): Promise<{ status: number; json: unknown; text: string }>;
  close(): Promise<void>;
}

/**
 * Starts the service from an environment, the way `serve` does, pointed at the given emulators. Extra webhook
 * providers in `serverOptions` are configured from the environment like registered ones.
 */
export async function startTestServer(
  kind: StoreKind,
  providerEnv: Record<string, string>,
  extraEnv: Record<string, string> = {},
  serverOptions: StartServerOptions = {},
): Promise<TestServer> {
  const jwtSecret = `test-secret-${generateVaultKey()}`;
  const sqlitePath = kind === "sqlite" ? tempSqlitePath() : undefined;
  const schema = kind === "postgres" ? await createTestSchema() : undefined;
  const env: Record<string, string> = {
    NODE_ENV: "test",
    PORT: "0",
    AUTOFLOW_VAULT_KEY: generateVaultKey(),
    AUTOFLOW_JWT_SECRET: jwtSecret,
    AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-state-")),
    ...(sqlitePath && { AUTOFLOW_SQLITE_PATH: sqlitePath }),
    ...(schema && TEST_DATABASE_URL && { DATABASE_URL: TEST_DATABASE_URL }),
    ...providerEnv,
    ...extraEnv,
  };
  const config = loadServerConfig(env, [
    ...new Set([...PROVIDER_IDS, ...(serverOptions.webhookProviders ?? []).map((p) => p.id)]),
  ]);
  const logs: string[] = [];
  const responses: string[] = [];
  const logger = createLogger({ sink: (line) => logs.push(line), secrets: configuredSecrets(config) });
  const server = await startServer(config, {
    ...serverOptions,
    logger,
    hostname: "127.0.0.1",
    ...(schema && {
      postgres: { options: schema.searchPathOption },
      // A queue of its own: workers of test files running at once must not take each other's runs.
      queue: { schema: schema.queueSchema, superviseIntervalSeconds: 1, ...serverOptions.queue },
    }),
  });
  const token = (userId: string) => createDevToken(jwtSecret, { userId });
  return {
    server,
    config,
    env,
    url: server.url,
    logs,
    responses,
    ...(sqlitePath && { sqlitePath }),
    ...(schema && { schema }),
    jwtSecret,
    token,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      const user = options.user === undefined ? "user-a" : options.user;
      if (options.authorization !== undefined) headers.authorization = options.authorization;
      else if (user !== null) headers.authorization = `Bearer ${await token(user)}`;
      let body: string | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers,
        redirect: "manual",
        ...(body !== undefined && { body }),
      });
      const text = await response.text();
      responses.push(text);
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, json, text };
    },
    async close() {
      await server.close();
      await schema?.drop();
    },
  };
}
