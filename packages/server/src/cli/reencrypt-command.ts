import { loadServerConfig } from "../config";
import { PROVIDER_IDS } from "../providers";
import { openStores } from "../stores/open-stores";
import { answeredHelp, type CliCommand } from "./cli-command";
import { usageWithEnvironment } from "./environment-help";

/** A connection store that can move its rows to the vault's primary key. */
type ReEncryptable = { reEncryptCredentials(): Promise<number> };

/**
 * `autoflow reencrypt`: after a vault key rotation (new `AUTOFLOW_VAULT_KEY`, the old one in
 * `AUTOFLOW_VAULT_PREVIOUS_KEYS`), rewrites every stored credential under the new key, so the old key can then be
 * dropped. Safe to run again; prints how many rows it rewrote.
 */
export const reencryptCommand: CliCommand = {
  name: "reencrypt",
  summary: "Rewrite every stored credential under the current vault key (after a rotation)",
  usage: usageWithEnvironment([
    "Usage: autoflow reencrypt",
    "",
    "After a vault key rotation (the new key in AUTOFLOW_VAULT_KEY, the old one in",
    "AUTOFLOW_VAULT_PREVIOUS_KEYS), rewrites every stored connection credential under the new key.",
    "Safe to run again; once it reports 0, drop the old key.",
  ]),
  async run(args) {
    if (answeredHelp(this, args)) return 0;
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
    return 0;
  },
};
