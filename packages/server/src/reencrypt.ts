/**
 * @module
 * `pnpm --filter @autoflow/server reencrypt`: after a vault key rotation (new `AUTOFLOW_VAULT_KEY`,
 * the old one in `AUTOFLOW_VAULT_PREVIOUS_KEYS`), rewrites every stored credential under the new
 * key, so the old key can then be dropped. Safe to run again; prints how many rows it rewrote.
 */
import { loadServerConfig, ServerConfigError } from "./config";
import { PROVIDER_IDS } from "./providers";
import { openStores } from "./stores/open-stores";

/** A connection store that can move its rows to the vault's primary key. */
type ReEncryptable = { reEncryptCredentials(): Promise<number> };

async function main(): Promise<void> {
  const config = loadServerConfig(process.env, PROVIDER_IDS);
  const stores = await openStores({
    vault: config.vault,
    sqlitePath: config.sqlitePath,
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
  });
  try {
    const rewritten = await (stores.connections as unknown as ReEncryptable).reEncryptCredentials();
    process.stdout.write(
      `Re-encrypted ${rewritten} credential(s) under vault key ${config.vault.primaryKeyId}\n`,
    );
  } finally {
    await stores.close();
  }
}

main().catch((error: unknown) => {
  const message = ServerConfigError.isInstance(error)
    ? `Configuration error: ${error.message}`
    : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
