import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { providerById } from "@autoflow/providers";
import { generateVaultKey, Vault } from "./vault/vault";
import { VaultConfigError } from "./vault/vault-errors";

/** A provider's OAuth client and base URLs, from `AUTOFLOW_<PROVIDER>_*` variables. */
export interface ProviderConfig {
  clientId?: string;
  clientSecret?: string;
  redirectUri: string;
  /** API base URL override (the emulators stand in for the provider this way). */
  apiUrl?: string;
  /** Browser-facing OAuth base URL override. */
  webUrl?: string;
  /**
   * The provider-wide webhook signing secrets for `POST /api/webhooks/<provider>`: usually one, two while a
   * secret is being rotated (a delivery signed with either is accepted).
   */
  webhookSecrets?: string[];
  /**
   * The largest webhook body accepted from this provider, from `AUTOFLOW_<P>_WEBHOOK_MAX_BODY_BYTES`; default the
   * provider's own cap (its manifest's `webhooks.maxBodyBytes`), else 1 MiB.
   */
  webhookMaxBodyBytes?: number;
}

export interface ServerConfig {
  port: number;
  production: boolean;
  databaseUrl?: string;
  sqlitePath: string;
  vault: Vault;
  jwt: {
    jwtSecret?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    /** The oldest a user token may be (from its `iat`), from `AUTOFLOW_JWT_MAX_AGE_SECONDS`. Default 86400 (24 h). */
    maxTokenAgeSeconds?: number;
  };
  /** The interface `serve` listens on, from `AUTOFLOW_HOST`. Default `127.0.0.1` (this machine only). */
  host?: string;
  /** How deeply request bodies and webhook payloads may nest, from `AUTOFLOW_MAX_JSON_DEPTH`. Default 64. */
  maxJsonDepth?: number;
  /**
   * How many times a webhook delivery's dispatch is tried (with backoff between) before it becomes a dead letter,
   * from `AUTOFLOW_DELIVERY_MAX_ATTEMPTS`. Default 5.
   */
  deliveryMaxAttempts?: number;
  publicUrl: string;
  /** Whether `AUTOFLOW_PUBLIC_URL` was set; otherwise webhooks are registered on the service's own listening URL. */
  publicUrlConfigured?: boolean;
  providers: Record<string, ProviderConfig>;
  /** How this process works on workflow runs. */
  worker: WorkerConfig;
  /** Where requests a user aims (`http.request`) may go, from `AUTOFLOW_EGRESS_*`. */
  egress: EgressConfig;
  /** Per-user bounds on workflows and runs, from `AUTOFLOW_MAX_*`. */
  limits?: LimitsConfig;
  /** What start-up wants the operator to read (generated development secrets). */
  warnings: string[];
}

/**
 * The egress policy's operator lists, from `AUTOFLOW_EGRESS_ALLOW` and `AUTOFLOW_EGRESS_DENY` (comma-separated
 * CIDRs or host names) and `AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES`. Without them nothing inside is reachable.
 */
export interface EgressConfig {
  allow: string[];
  deny: string[];
  maxResponseBytes?: number;
}

/** Per-user bounds, so one user cannot take the service's workers or storage from the others. */
export interface LimitsConfig {
  /**
   * Runs a user may have queued, running or suspended at once (`AUTOFLOW_MAX_RUNS_IN_FLIGHT_PER_USER`, default
   * 100): past it an API start is a 429 and a webhook's run is stored `deferred` until one finishes.
   */
  maxRunsInFlightPerUser: number;
  /** Steps a workflow may have (`AUTOFLOW_MAX_STEPS_PER_WORKFLOW`, default 100): more is a 400 on save. */
  maxStepsPerWorkflow: number;
}

/** Workflow run execution, from `AUTOFLOW_WORKER_*` and `AUTOFLOW_QUEUE_SCHEMA`. */
export interface WorkerConfig {
  /** Runs executed at once by this process; 0: it only queues them (API-only with PostgreSQL). Default 4. */
  concurrency: number;
  /** PostgreSQL only: the schema pg-boss keeps the run queue in. Default `pgboss`. */
  queueSchema: string;
  /** PostgreSQL only: how long a silent worker keeps a run before another takes it (>= 10). Default 30. */
  heartbeatSeconds: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const marker = Symbol.for("autoflow.error.ServerConfigError");

/** A configuration problem found at start-up: the message says which variable and what is wrong, never its value. */
export class ServerConfigError extends Error {
  override readonly name = "ServerConfigError";
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, marker, { value: true });
  }
  static isInstance(error: unknown): error is ServerConfigError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/**
 * Where the service keeps its data, from `DATABASE_URL` (PostgreSQL when set), else `AUTOFLOW_SQLITE_PATH` or
 * `$AUTOFLOW_STATE_DIR/autoflow.db` (default `.autoflow/autoflow.db`): what `loadServerConfig` reads, for commands
 * that only open a store (`autoflow runs`).
 */
export function databaseLocation(env: Env = process.env): { databaseUrl?: string; sqlitePath: string } {
  const stateDir = env.AUTOFLOW_STATE_DIR ?? ".autoflow";
  return {
    ...(env.DATABASE_URL && { databaseUrl: env.DATABASE_URL }),
    sqlitePath: env.AUTOFLOW_SQLITE_PATH ?? `${stateDir}/autoflow.db`,
  };
}

/**
 * Reads the service's configuration from the environment. In development a missing vault key or JWT
 * secret is generated once and kept under `.autoflow/` with a loud warning; in production
 * (`NODE_ENV=production`) a missing one is a start-up error. `providers` are the ids whose `AUTOFLOW_<ID>_*`
 * variables are read (`PROVIDER_IDS`); a listed provider's `configAliases` are read too.
 */
export function loadServerConfig(env: Env = process.env, providers: readonly string[] = []): ServerConfig {
  const production = env.NODE_ENV === "production";
  const warnings: string[] = [];
  const port = Number(env.PORT ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ServerConfigError("PORT must be a port number");
  const stateDir = env.AUTOFLOW_STATE_DIR ?? ".autoflow";

  let vaultEnv = env;
  if (!env.AUTOFLOW_VAULT_KEY) {
    if (production)
      throw new ServerConfigError("AUTOFLOW_VAULT_KEY is required in production (32 bytes, base64)");
    const key = persistedSecret(`${stateDir}/vault.key`, generateVaultKey);
    vaultEnv = { ...env, AUTOFLOW_VAULT_KEY: key };
    warnings.push(
      `AUTOFLOW_VAULT_KEY is not set: using a development key kept in ${stateDir}/vault.key. ` +
        "Anyone with that file can decrypt the stored credentials; set AUTOFLOW_VAULT_KEY in production.",
    );
  }
  let vault: Vault;
  try {
    vault = Vault.fromEnv(vaultEnv);
  } catch (error) {
    // One error type for every start-up problem; the vault's message names the variable, never its value.
    if (VaultConfigError.isInstance(error)) throw new ServerConfigError(error.message);
    throw error;
  }

  const jwt: ServerConfig["jwt"] = {};
  if (env.AUTOFLOW_JWKS_URL) {
    if (!URL.canParse(env.AUTOFLOW_JWKS_URL)) throw new ServerConfigError("AUTOFLOW_JWKS_URL must be a URL");
    jwt.jwksUrl = env.AUTOFLOW_JWKS_URL;
  } else if (env.AUTOFLOW_JWT_SECRET) {
    if (env.AUTOFLOW_JWT_SECRET.length < 32)
      throw new ServerConfigError("AUTOFLOW_JWT_SECRET must be at least 32 characters");
    jwt.jwtSecret = env.AUTOFLOW_JWT_SECRET;
  } else if (production)
    throw new ServerConfigError("Set AUTOFLOW_JWKS_URL (or AUTOFLOW_JWT_SECRET) in production");
  else {
    jwt.jwtSecret = persistedSecret(`${stateDir}/jwt.secret`, () => generateVaultKey());
    warnings.push(
      `AUTOFLOW_JWT_SECRET is not set: using a development HS256 secret kept in ${stateDir}/jwt.secret.`,
    );
  }
  if (env.AUTOFLOW_JWT_ISSUER) jwt.issuer = env.AUTOFLOW_JWT_ISSUER;
  if (env.AUTOFLOW_JWT_AUDIENCE) jwt.audience = env.AUTOFLOW_JWT_AUDIENCE;
  // An identity provider signs tokens for all its applications with the same keys: without the issuer and the
  // audience pinned, a token it issued for another application would be accepted here.
  if (production && jwt.jwksUrl && (!jwt.issuer || !jwt.audience)) {
    throw new ServerConfigError(
      "AUTOFLOW_JWT_ISSUER and AUTOFLOW_JWT_AUDIENCE are required in production with AUTOFLOW_JWKS_URL",
    );
  }
  jwt.maxTokenAgeSeconds = positiveInteger(env, "AUTOFLOW_JWT_MAX_AGE_SECONDS", 24 * 60 * 60);

  const publicUrl = (env.AUTOFLOW_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, "");
  const providerConfigs: Record<string, ProviderConfig> = {};
  for (const provider of providers) {
    const prefix = `AUTOFLOW_${provider.toUpperCase().replaceAll("-", "_")}_`;
    const read = (name: string) => env[`${prefix}${name}`] || undefined;
    const config: ProviderConfig = {
      redirectUri: read("REDIRECT_URI") ?? `${publicUrl}/api/integrations/${provider}/oauth/callback`,
    };
    const clientId = read("CLIENT_ID");
    const clientSecret = read("CLIENT_SECRET");
    if (Boolean(clientId) !== Boolean(clientSecret)) {
      throw new ServerConfigError(`${prefix}CLIENT_ID and ${prefix}CLIENT_SECRET must be set together`);
    }
    if (clientId) config.clientId = clientId;
    if (clientSecret) config.clientSecret = clientSecret;
    const apiUrl = read("API_URL");
    const webUrl = read("WEB_URL");
    if (apiUrl) config.apiUrl = apiUrl;
    if (webUrl) config.webUrl = webUrl;
    const webhookSecrets = readWebhookSecrets(prefix, read, providerById(provider)?.configAliases);
    if (webhookSecrets) config.webhookSecrets = webhookSecrets;
    const maxBody = read("WEBHOOK_MAX_BODY_BYTES");
    if (maxBody !== undefined)
      config.webhookMaxBodyBytes = positiveInteger(env, `${prefix}WEBHOOK_MAX_BODY_BYTES`, 0);
    providerConfigs[provider] = config;
  }

  return {
    port,
    production,
    ...databaseLocation(env),
    vault,
    jwt,
    publicUrl,
    publicUrlConfigured: Boolean(env.AUTOFLOW_PUBLIC_URL),
    providers: providerConfigs,
    worker: readWorkerConfig(env),
    egress: readEgressConfig(env),
    limits: {
      maxRunsInFlightPerUser: positiveInteger(env, "AUTOFLOW_MAX_RUNS_IN_FLIGHT_PER_USER", 100),
      maxStepsPerWorkflow: positiveInteger(env, "AUTOFLOW_MAX_STEPS_PER_WORKFLOW", 100),
    },
    host: env.AUTOFLOW_HOST || "127.0.0.1",
    maxJsonDepth: positiveInteger(env, "AUTOFLOW_MAX_JSON_DEPTH", 64),
    deliveryMaxAttempts: positiveInteger(env, "AUTOFLOW_DELIVERY_MAX_ATTEMPTS", 5),
    warnings,
  };
}

function readEgressConfig(env: Env): EgressConfig {
  const list = (name: string) =>
    (env[name] ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
  const rawMax = env.AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES;
  const maxResponseBytes = rawMax === undefined ? undefined : Number(rawMax);
  if (maxResponseBytes !== undefined && (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1)) {
    throw new ServerConfigError(
      "AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES must be a positive whole number of bytes",
    );
  }
  return {
    allow: list("AUTOFLOW_EGRESS_ALLOW"),
    deny: list("AUTOFLOW_EGRESS_DENY"),
    ...(maxResponseBytes !== undefined && { maxResponseBytes }),
  };
}

function readWorkerConfig(env: Env): WorkerConfig {
  const integer = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      throw new ServerConfigError(`${name} must be an integer of at least ${min}`);
    }
    return value;
  };
  const queueSchema = env.AUTOFLOW_QUEUE_SCHEMA || "pgboss";
  if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(queueSchema)) {
    throw new ServerConfigError("AUTOFLOW_QUEUE_SCHEMA must be a plain PostgreSQL identifier");
  }
  return {
    concurrency: integer("AUTOFLOW_WORKER_CONCURRENCY", 4, 0),
    queueSchema,
    heartbeatSeconds: integer("AUTOFLOW_WORKER_HEARTBEAT_SECONDS", 30, 10),
  };
}

/** A whole number of at least 1 from `name`, or `fallback` when unset; anything else is a start-up error. */
function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ServerConfigError(`${name} must be a whole number of at least 1`);
  return value;
}

type ReadVariable = (name: string) => string | undefined;

/**
 * `AUTOFLOW_<P>_<name>`, or the provider's own word for it (its manifest's `configAliases`, alias -> generic
 * name, e.g. "signing secrets" for webhook secrets); setting both is a start-up error naming the two.
 */
function readAliased(
  prefix: string,
  read: ReadVariable,
  name: string,
  aliases: Readonly<Record<string, string>> = {},
): { variable: string; value?: string } {
  const value = read(name);
  const alias = Object.keys(aliases).find((candidate) => aliases[candidate] === name);
  const aliased = alias === undefined ? undefined : read(alias);
  if (alias === undefined || !aliased) return { variable: name, ...(value && { value }) };
  if (value) throw new ServerConfigError(`Set ${prefix}${name} or ${prefix}${alias}, not both`);
  return { variable: alias, value: aliased };
}

/**
 * `AUTOFLOW_<P>_WEBHOOK_SECRETS` (or its alias): comma-separated, so the old and the new secret can both be
 * valid during a rotation.
 */
function readWebhookSecrets(
  prefix: string,
  read: ReadVariable,
  aliases?: Readonly<Record<string, string>>,
): string[] | undefined {
  const { variable, value } = readAliased(prefix, read, "WEBHOOK_SECRETS", aliases);
  if (!value) return undefined;
  const secrets = value
    .split(",")
    .map((secret) => secret.trim())
    .filter(Boolean);
  if (secrets.length === 0) throw new ServerConfigError(`${prefix}${variable} has no secret in it`);
  return secrets;
}

/** A development secret generated once and reused across restarts, so stored credentials stay readable. */
function persistedSecret(path: string, generate: () => string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  // The state folder holds the dev keys and the database: owner-only, like the files in it.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const value = generate();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}
