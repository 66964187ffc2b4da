import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadServerConfig, ServerConfigError } from "../src/config";
import { PROVIDER_IDS } from "../src/providers";
import { configuredSecrets } from "../src/server";
import { generateVaultKey } from "../src/vault/vault";

const dirs: string[] = [];
const stateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "autoflow-config-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const configError = (run: () => unknown): ServerConfigError => {
  try {
    run();
  } catch (error) {
    if (ServerConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a ServerConfigError");
};

describe("loadServerConfig", () => {
  it("refuses to start in production without AUTOFLOW_VAULT_KEY, and writes no key", () => {
    const dir = stateDir();
    const error = configError(() =>
      loadServerConfig({
        NODE_ENV: "production",
        AUTOFLOW_JWKS_URL: "https://a.test/jwks",
        AUTOFLOW_STATE_DIR: dir,
      }),
    );
    expect(error.message).toMatch(/AUTOFLOW_VAULT_KEY is required in production/);
    expect(existsSync(join(dir, "vault.key"))).toBe(false);
  });

  it("refuses to start in production without a way to verify user tokens", () => {
    const error = configError(() =>
      loadServerConfig({
        NODE_ENV: "production",
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_STATE_DIR: stateDir(),
      }),
    );
    expect(error.message).toMatch(/AUTOFLOW_JWKS_URL/);
  });

  it.each([
    ["not base64 at all", "%%%%not-a-key%%%%"],
    ["16 bytes", Buffer.alloc(16, 7).toString("base64")],
  ])("names a malformed key (%s) without echoing it", (_name, key) => {
    const error = configError(() =>
      loadServerConfig({ AUTOFLOW_VAULT_KEY: key, AUTOFLOW_STATE_DIR: stateDir() }),
    );
    expect(error.message).toMatch(/AUTOFLOW_VAULT_KEY/);
    expect(error.message).not.toContain(key);
  });

  it("names a malformed previous key without echoing it", () => {
    const bad = "c2hvcnQ=";
    const error = configError(() =>
      loadServerConfig({
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_VAULT_PREVIOUS_KEYS: bad,
        AUTOFLOW_STATE_DIR: stateDir(),
      }),
    );
    expect(error.message).toMatch(/AUTOFLOW_VAULT_PREVIOUS_KEYS/);
    expect(error.message).not.toContain(bad);
  });

  it("in development generates a vault key and JWT secret once, warns, and reuses them", () => {
    const dir = stateDir();
    const first = loadServerConfig({ AUTOFLOW_STATE_DIR: dir });
    expect(first.warnings.join("\n")).toMatch(/AUTOFLOW_VAULT_KEY is not set/);
    expect(first.warnings.join("\n")).toMatch(/AUTOFLOW_JWT_SECRET is not set/);
    const key = readFileSync(join(dir, "vault.key"), "utf8").trim();
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    const ciphertext = first.vault.encrypt("xoxb-persisted-secret-0000", "conn-1");

    const second = loadServerConfig({ AUTOFLOW_STATE_DIR: dir });
    expect(readFileSync(join(dir, "vault.key"), "utf8").trim()).toBe(key);
    expect(second.vault.decrypt(ciphertext, "conn-1")).toBe("xoxb-persisted-secret-0000");
    expect(second.jwt.jwtSecret).toBe(first.jwt.jwtSecret);
    expect(second.sqlitePath).toBe(`${dir}/autoflow.db`);
    expect(second.port).toBe(3000);
  });

  it("uses a set vault key without writing one or warning about it", () => {
    const dir = stateDir();
    const config = loadServerConfig({
      AUTOFLOW_VAULT_KEY: generateVaultKey(),
      AUTOFLOW_JWT_SECRET: "s".repeat(32),
      AUTOFLOW_STATE_DIR: dir,
    });
    expect(config.warnings).toEqual([]);
    expect(existsSync(join(dir, "vault.key"))).toBe(false);
  });

  it("selects PostgreSQL for a postgres:// DATABASE_URL, SQLite otherwise", () => {
    const base = { AUTOFLOW_VAULT_KEY: generateVaultKey(), AUTOFLOW_STATE_DIR: stateDir() };
    const postgres = loadServerConfig({ ...base, DATABASE_URL: "postgres://db.internal:5432/autoflow" });
    expect(postgres.databaseUrl).toBe("postgres://db.internal:5432/autoflow");
    const sqlite = loadServerConfig({ ...base, AUTOFLOW_SQLITE_PATH: "/var/lib/autoflow.db" });
    expect(sqlite.databaseUrl).toBeUndefined();
    expect(sqlite.sqlitePath).toBe("/var/lib/autoflow.db");
  });

  it("reads each registered provider's OAuth client and base URLs", () => {
    const config = loadServerConfig(
      {
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_STATE_DIR: stateDir(),
        AUTOFLOW_PUBLIC_URL: "https://autoflow.example.test/",
        AUTOFLOW_SLACK_CLIENT_ID: "1.2",
        AUTOFLOW_SLACK_CLIENT_SECRET: "slack-secret",
        AUTOFLOW_SLACK_API_URL: "http://127.0.0.1:9999/api/",
        AUTOFLOW_GITHUB_REDIRECT_URI: "https://app.example.test/github/callback",
      },
      PROVIDER_IDS,
    );
    expect(config.providers.slack).toEqual({
      clientId: "1.2",
      clientSecret: "slack-secret",
      apiUrl: "http://127.0.0.1:9999/api/",
      redirectUri: "https://autoflow.example.test/api/integrations/slack/oauth/callback",
    });
    expect(config.providers.github).toEqual({ redirectUri: "https://app.example.test/github/callback" });
  });

  it.each([
    [{ PORT: "http" }, /PORT/],
    [{ AUTOFLOW_SLACK_CLIENT_ID: "only-the-id" }, /AUTOFLOW_SLACK_CLIENT_SECRET/],
    [{ AUTOFLOW_JWT_SECRET: "short" }, /at least 32/],
    [{ AUTOFLOW_JWKS_URL: "not a url" }, /AUTOFLOW_JWKS_URL/],
  ])("refuses %o", (env, message) => {
    const error = configError(() =>
      loadServerConfig(
        { AUTOFLOW_VAULT_KEY: generateVaultKey(), AUTOFLOW_STATE_DIR: stateDir(), ...env },
        PROVIDER_IDS,
      ),
    );
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("short");
  });

  it("reads comma-separated webhook secrets, so two are valid during a rotation, and masks them in logs", () => {
    const config = loadServerConfig(
      {
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_STATE_DIR: stateDir(),
        AUTOFLOW_GITHUB_WEBHOOK_SECRETS: " new-github-secret , old-github-secret,",
        AUTOFLOW_SLACK_SIGNING_SECRETS: "slack-signing-secret",
      },
      PROVIDER_IDS,
    );
    expect(config.providers.github?.webhookSecrets).toEqual(["new-github-secret", "old-github-secret"]);
    expect(config.providers.slack?.webhookSecrets).toEqual(["slack-signing-secret"]);
    expect(configuredSecrets(config)).toEqual(
      expect.arrayContaining(["new-github-secret", "old-github-secret", "slack-signing-secret"]),
    );
  });

  it.each([
    [{ AUTOFLOW_GITHUB_WEBHOOK_SECRETS: " , ," }, /AUTOFLOW_GITHUB_WEBHOOK_SECRETS has no secret/],
    [
      { AUTOFLOW_SLACK_WEBHOOK_SECRETS: "one-secret", AUTOFLOW_SLACK_SIGNING_SECRETS: "other-secret" },
      /AUTOFLOW_SLACK_WEBHOOK_SECRETS or AUTOFLOW_SLACK_SIGNING_SECRETS, not both/,
    ],
  ])("refuses webhook secrets %o without echoing them", (env, message) => {
    const error = configError(() =>
      loadServerConfig(
        { AUTOFLOW_VAULT_KEY: generateVaultKey(), AUTOFLOW_STATE_DIR: stateDir(), ...env },
        PROVIDER_IDS,
      ),
    );
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/one-secret|other-secret/);
  });
});

describe("the egress policy's operator lists", () => {
  const env = (extra: Record<string, string>) => ({
    AUTOFLOW_VAULT_KEY: generateVaultKey(),
    AUTOFLOW_JWT_SECRET: "a-long-enough-development-jwt-secret-0123456789",
    AUTOFLOW_STATE_DIR: stateDir(),
    ...extra,
  });

  it("are empty by default (nothing inside is reachable) and read from AUTOFLOW_EGRESS_*", () => {
    expect(loadServerConfig(env({}), PROVIDER_IDS).egress).toEqual({ allow: [], deny: [] });
    const config = loadServerConfig(
      env({
        AUTOFLOW_EGRESS_ALLOW: "10.1.0.0/16, internal.example.com",
        AUTOFLOW_EGRESS_DENY: "203.0.113.0/24",
        AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES: "2097152",
      }),
      PROVIDER_IDS,
    );
    expect(config.egress).toEqual({
      allow: ["10.1.0.0/16", "internal.example.com"],
      deny: ["203.0.113.0/24"],
      maxResponseBytes: 2_097_152,
    });
  });

  it("refuse a size cap that is not a positive whole number, naming the variable", () => {
    expect(() =>
      loadServerConfig(env({ AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES: "1.5MB" }), PROVIDER_IDS),
    ).toThrow(ServerConfigError);
    expect(() => loadServerConfig(env({ AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES: "0" }), PROVIDER_IDS)).toThrow(
      /AUTOFLOW_EGRESS_MAX_RESPONSE_BYTES/,
    );
  });
});

describe("the user token policy, the listening address and the JSON nesting bound", () => {
  const production = (extra: Record<string, string>) => ({
    NODE_ENV: "production",
    AUTOFLOW_VAULT_KEY: generateVaultKey(),
    AUTOFLOW_JWKS_URL: "https://id.example.test/.well-known/jwks.json",
    AUTOFLOW_STATE_DIR: stateDir(),
    ...extra,
  });
  const development = (extra: Record<string, string>) => ({
    AUTOFLOW_VAULT_KEY: generateVaultKey(),
    AUTOFLOW_JWT_SECRET: "a-long-enough-development-jwt-secret-0123456789",
    AUTOFLOW_STATE_DIR: stateDir(),
    ...extra,
  });

  it.each([
    ["neither", {}],
    ["only the issuer", { AUTOFLOW_JWT_ISSUER: "https://id.example.test/" }],
    ["only the audience", { AUTOFLOW_JWT_AUDIENCE: "autoflow" }],
  ])("refuses JWKS in production with %s of issuer and audience, naming both variables", (_name, extra) => {
    const error = configError(() => loadServerConfig(production(extra)));
    expect(error.message).toMatch(/AUTOFLOW_JWT_ISSUER and AUTOFLOW_JWT_AUDIENCE are required/);
    expect(error.message).toMatch(/AUTOFLOW_JWKS_URL/);
  });

  it("starts with JWKS in production once issuer and audience are pinned", () => {
    const config = loadServerConfig(
      production({ AUTOFLOW_JWT_ISSUER: "https://id.example.test/", AUTOFLOW_JWT_AUDIENCE: "autoflow" }),
    );
    expect(config.jwt).toMatchObject({ issuer: "https://id.example.test/", audience: "autoflow" });
  });

  it("defaults to tokens of at most 24 h, 127.0.0.1 and 64 levels of JSON", () => {
    const config = loadServerConfig(development({}));
    expect(config.jwt.maxTokenAgeSeconds).toBe(86_400);
    expect(config.host).toBe("127.0.0.1");
    expect(config.maxJsonDepth).toBe(64);
  });

  it("reads AUTOFLOW_JWT_MAX_AGE_SECONDS, AUTOFLOW_HOST and AUTOFLOW_MAX_JSON_DEPTH", () => {
    const config = loadServerConfig(
      development({
        AUTOFLOW_JWT_MAX_AGE_SECONDS: "3600",
        AUTOFLOW_HOST: "0.0.0.0",
        AUTOFLOW_MAX_JSON_DEPTH: "16",
      }),
    );
    expect(config.jwt.maxTokenAgeSeconds).toBe(3600);
    expect(config.host).toBe("0.0.0.0");
    expect(config.maxJsonDepth).toBe(16);
  });

  it.each(["AUTOFLOW_JWT_MAX_AGE_SECONDS", "AUTOFLOW_MAX_JSON_DEPTH"])(
    "refuses a %s that is not a positive whole number, naming it",
    (name) => {
      for (const value of ["0", "24h", "-5"]) {
        expect(configError(() => loadServerConfig(development({ [name]: value }))).message).toMatch(name);
      }
    },
  );
});
