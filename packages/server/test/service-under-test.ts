import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job } from "@autoflow/core";
import { loadServerConfig, type ServerConfig } from "../src/config";
import { createDevToken } from "../src/dev-token";
import { createLogger } from "../src/logger";
import { PROVIDER_IDS } from "../src/providers";
import { type RunningServer, startServer } from "../src/server";
import { generateVaultKey } from "../src/vault/vault";
import type { StoreKind } from "./http-server";
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from "./postgres-test-schema";
import { tempSqlitePath } from "./sqlite-temp";

/**
 * The whole service (`startServer`) on SQLite or a PostgreSQL schema of its own, with code jobs run for one user,
 * as a deployment runs it: one database, vault key, JWT secret and port across restarts, its log lines collected.
 * `setUp` before the tests, `tearDown` after them.
 */
export class ServiceUnderTest {
  readonly logs: string[] = [];
  server: RunningServer | undefined;
  private config: ServerConfig | undefined;
  private schema: TestSchema | undefined;
  private jwtSecret = "";

  constructor(
    private readonly kind: StoreKind,
    private readonly jobsUserId: string,
  ) {}

  /** Makes the configuration; `env` adds the service's variables (the emulators' `AUTOFLOW_<P>_*`). */
  async setUp(env: Record<string, string>): Promise<void> {
    this.schema = this.kind === "postgres" ? await createTestSchema() : undefined;
    this.jwtSecret = `test-secret-${generateVaultKey()}`;
    this.config = loadServerConfig(
      {
        NODE_ENV: "test",
        PORT: "0",
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_JWT_SECRET: this.jwtSecret,
        AUTOFLOW_STATE_DIR: mkdtempSync(join(tmpdir(), "autoflow-state-")),
        ...(this.schema && TEST_DATABASE_URL
          ? { DATABASE_URL: TEST_DATABASE_URL }
          : { AUTOFLOW_SQLITE_PATH: tempSqlitePath() }),
        ...env,
      },
      PROVIDER_IDS,
    );
  }

  async start(jobs: readonly Job[]): Promise<RunningServer> {
    if (!this.config) throw new Error("setUp first");
    const { schema } = this;
    this.server = await startServer(this.config, {
      hostname: "127.0.0.1",
      logger: createLogger({ sink: (line) => this.logs.push(line) }),
      jobs,
      jobsUserId: this.jobsUserId,
      ...(schema && { postgres: { options: schema.searchPathOption } }),
    });
    // The same port on a restart: the hooks registered at the provider deliver to it.
    this.config = { ...this.config, port: this.server.port };
    return this.server;
  }

  /** Closes the running service, forgets its log lines and starts it again with `jobs`. */
  async restart(jobs: readonly Job[]): Promise<RunningServer> {
    await this.server?.close();
    this.logs.length = 0;
    return this.start(jobs);
  }

  /** Connects `body` (`{ accessToken }` or `{ apiKey }`) for the jobs' user through the HTTP API, as a user would. */
  async connect(provider: string, body: Record<string, string>): Promise<{ status: number; id: string }> {
    const response = await fetch(`${this.server?.url}/api/integrations/${provider}/connections`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await createDevToken(this.jwtSecret, { userId: this.jobsUserId })}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, id: ((await response.json()) as { id: string }).id };
  }

  async tearDown(): Promise<void> {
    await this.server?.close();
    await this.schema?.drop();
  }
}
