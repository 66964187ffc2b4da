import type { ProviderCredential } from "@autoflow/core";
import type { Vault } from "../vault/vault";

// AADs bind each ciphertext to its row: a ciphertext copied into another row, or from a connection into an
// OAuth state, fails to decrypt. Connection ids are used as-is; state AADs carry a prefix so they can never
// collide with one.
function stateAad(state: string): string {
  return `oauth_state:${state}`;
}

/** The whole credential JSON, encrypted and bound to its connection id. */
export function encryptCredential(
  vault: Vault,
  connectionId: string,
  credential: ProviderCredential,
): string {
  return vault.encrypt(JSON.stringify(credential), connectionId);
}

/** Reverses `encryptCredential`; throws `VaultDecryptError` when the row was tampered with or moved. */
export function decryptCredential(
  vault: Vault,
  connectionId: string,
  ciphertext: string,
): ProviderCredential {
  return JSON.parse(vault.decrypt(ciphertext, connectionId)) as ProviderCredential;
}

/** A PKCE verifier, encrypted and bound to its state: it is a secret for as long as the state lives. */
export function encryptCodeVerifier(vault: Vault, state: string, codeVerifier: string): string {
  return vault.encrypt(codeVerifier, stateAad(state));
}

/** Reverses `encryptCodeVerifier`. */
export function decryptCodeVerifier(vault: Vault, state: string, ciphertext: string): string {
  return vault.decrypt(ciphertext, stateAad(state));
}

/** The SQL `LIKE` pattern matching ciphertexts already under the vault's primary key. */
export function primaryKeyPattern(vault: Vault): string {
  return `av1.${vault.primaryKeyId}.%`;
}

// The JSON array keeps the AAD unambiguous whatever the ids contain; the prefix keeps it apart from the others.
function webhookSecretAad(connectionId: string, secretId: string): string {
  return `webhook_secret:${JSON.stringify([connectionId, secretId])}`;
}

/** A per-connection webhook signing secret, encrypted and bound to its connection and secret id. */
export function encryptWebhookSecret(
  vault: Vault,
  connectionId: string,
  secretId: string,
  secret: string,
): string {
  return vault.encrypt(secret, webhookSecretAad(connectionId, secretId));
}

/** Reverses `encryptWebhookSecret`. */
export function decryptWebhookSecret(
  vault: Vault,
  connectionId: string,
  secretId: string,
  ciphertext: string,
): string {
  return vault.decrypt(ciphertext, webhookSecretAad(connectionId, secretId));
}
