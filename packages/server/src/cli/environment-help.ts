/** The environment every command that opens the stores reads, for `--help`; the README has the full table. */
export const ENVIRONMENT_HELP = [
  "Environment (the server README's Configuration table has every variable):",
  "  DATABASE_URL          postgres:// URL; unset: SQLite",
  "  AUTOFLOW_SQLITE_PATH  the SQLite file (default $AUTOFLOW_STATE_DIR/autoflow.db)",
  "  AUTOFLOW_STATE_DIR    development state: SQLite file, generated vault.key and jwt.secret (default .autoflow)",
  "  AUTOFLOW_VAULT_KEY    the vault key (32 bytes, base64); required with NODE_ENV=production",
  "  AUTOFLOW_JWT_SECRET   HS256 secret for user tokens (or AUTOFLOW_JWKS_URL)",
  "  PORT, AUTOFLOW_HOST   where serve listens (default 3000 on 127.0.0.1)",
].join("\n");

/** The `--help` text of a command that opens the stores: its own lines, then the environment it reads. */
export function usageWithEnvironment(lines: readonly string[]): string {
  return [...lines, "", ENVIRONMENT_HELP, ""].join("\n");
}
