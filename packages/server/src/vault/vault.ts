import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { VaultConfigError, VaultDecryptError } from "./vault-errors";

const VERSION = "av1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// Standard or URL-safe alphabet, optional padding: keys are pasted into env files by hand.
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/** The environment variables `Vault.fromEnv` reads. */
export interface VaultEnv {
  AUTOFLOW_VAULT_KEY?: string;
  AUTOFLOW_VAULT_PREVIOUS_KEYS?: string;
}

/** Keys for a `Vault`: 32 bytes each. */
export interface VaultOptions {
  /** Encrypts every new ciphertext. */
  primaryKey: Uint8Array;
  /** Retired keys, kept so ciphertexts written under them still decrypt until re-encrypted. */
  previousKeys?: readonly Uint8Array[];
}

interface VaultKey {
  id: string;
  key: KeyObject;
}

/** A new random vault key, base64: the value for `AUTOFLOW_VAULT_KEY`. */
export function generateVaultKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}

/** The key id written into ciphertexts: the first 12 hex characters of the key's SHA-256. */
export function vaultKeyId(key: Uint8Array): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

/**
 * AES-256-GCM encryption for credentials at rest. Ciphertexts read `av1.<keyId>.<iv>.<tag>.<ciphertext>`
 * (base64url parts, 12-byte random IV), so a rotated vault knows which key opens each one. An optional AAD
 * binds a ciphertext to its record: decrypting it under another record's AAD fails.
 */
export class Vault {
  /** Key id of the primary key, which every new ciphertext uses. */
  readonly primaryKeyId: string;
  // KeyObjects, so an accidental log of the vault cannot print key bytes.
  readonly #primary: VaultKey;
  readonly #keys: ReadonlyMap<string, VaultKey>;

  constructor(options: VaultOptions) {
    this.#primary = toVaultKey(options.primaryKey, "the primary key");
    const keys = new Map<string, VaultKey>([[this.#primary.id, this.#primary]]);
    (options.previousKeys ?? []).forEach((key, i) => {
      const vaultKey = toVaultKey(key, `previous key ${i + 1}`);
      if (!keys.has(vaultKey.id)) keys.set(vaultKey.id, vaultKey);
    });
    this.primaryKeyId = this.#primary.id;
    this.#keys = keys;
  }

  /**
   * A vault from `AUTOFLOW_VAULT_KEY` (32 bytes, base64) and `AUTOFLOW_VAULT_PREVIOUS_KEYS` (comma-separated).
   * Throws `VaultConfigError` naming what is wrong, never echoing a value.
   */
  static fromEnv(env: VaultEnv = process.env): Vault {
    const primary = env.AUTOFLOW_VAULT_KEY?.trim();
    if (!primary) {
      throw new VaultConfigError(
        "AUTOFLOW_VAULT_KEY is not set: it must be a 32-byte key in base64 " +
          "(generate one with `node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"`)",
      );
    }
    const previous = (env.AUTOFLOW_VAULT_PREVIOUS_KEYS ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
    return new Vault({
      primaryKey: decodeKey(primary, "AUTOFLOW_VAULT_KEY"),
      previousKeys: previous.map((entry, i) =>
        decodeKey(entry, `AUTOFLOW_VAULT_PREVIOUS_KEYS entry ${i + 1}`),
      ),
    });
  }

  /** Encrypts under the primary key; `aad` (e.g. the row id) must be given again to decrypt. */
  encrypt(plaintext: string, aad?: string): string {
    const { id, key } = this.#primary;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(id, aad));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      id,
      iv.toString("base64url"),
      tag.toString("base64url"),
      body.toString("base64url"),
    ].join(".");
  }

  /** Decrypts a ciphertext from `encrypt`, under any key this vault holds. Throws `VaultDecryptError`. */
  decrypt(ciphertext: string, aad?: string): string {
    const parsed = parse(ciphertext);
    const vaultKey = this.#keys.get(parsed.keyId);
    if (!vaultKey) {
      throw new VaultDecryptError(
        "unknown-key",
        `Ciphertext was encrypted under vault key ${parsed.keyId}, which is neither the primary key nor in ` +
          "AUTOFLOW_VAULT_PREVIOUS_KEYS",
        parsed.keyId,
      );
    }
    const decipher = createDecipheriv("aes-256-gcm", vaultKey.key, parsed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(parsed.keyId, aad));
    decipher.setAuthTag(parsed.tag);
    try {
      return Buffer.concat([decipher.update(parsed.body), decipher.final()]).toString("utf8");
    } catch {
      // The cause is dropped on purpose: it adds nothing and we never want ciphertext state in logs.
      throw new VaultDecryptError(
        "authentication-failed",
        "Ciphertext failed authentication: it was tampered with or belongs to another record",
        parsed.keyId,
      );
    }
  }

  /** Whether a ciphertext is under a key other than the primary, so `reEncrypt` should migrate it. */
  needsReEncryption(ciphertext: string): boolean {
    return parse(ciphertext).keyId !== this.primaryKeyId;
  }

  /** Decrypts and encrypts again under the primary key, keeping the same AAD. */
  reEncrypt(ciphertext: string, aad?: string): string {
    return this.encrypt(this.decrypt(ciphertext, aad), aad);
  }

  /** Serializes as the key id only, so logging a config object that holds the vault stays safe. */
  toJSON(): { primaryKeyId: string } {
    return { primaryKeyId: this.primaryKeyId };
  }
}

function toVaultKey(key: Uint8Array, label: string): VaultKey {
  if (key.byteLength !== KEY_BYTES) {
    throw new VaultConfigError(`Vault ${label} must be ${KEY_BYTES} bytes, got ${key.byteLength}`);
  }
  return { id: vaultKeyId(key), key: createSecretKey(Buffer.from(key)) };
}

function decodeKey(value: string, label: string): Uint8Array {
  if (!BASE64.test(value)) {
    throw new VaultConfigError(`${label} is not valid base64; it must be a 32-byte key in base64`);
  }
  const bytes = Buffer.from(value, "base64");
  if (bytes.byteLength !== KEY_BYTES) {
    throw new VaultConfigError(
      `${label} decodes to ${bytes.byteLength} bytes; it must be ${KEY_BYTES} bytes`,
    );
  }
  return bytes;
}

// The header is authenticated too, so a ciphertext cannot be relabelled with another key id.
function associatedData(keyId: string, aad: string | undefined): Buffer {
  return Buffer.from(`${VERSION}.${keyId}\u0000${aad ?? ""}`, "utf8");
}

function parse(ciphertext: string): { keyId: string; iv: Buffer; tag: Buffer; body: Buffer } {
  const parts = ciphertext.split(".");
  const [version, keyId, iv, tag, body] = parts;
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    keyId === undefined ||
    !KEY_ID.test(keyId) ||
    iv === undefined ||
    tag === undefined ||
    body === undefined ||
    ![iv, tag, body].every((part) => BASE64URL.test(part))
  ) {
    throw new VaultDecryptError(
      "malformed",
      `Not a vault ciphertext (expected ${VERSION}.<keyId>.<iv>.<tag>.<data>)`,
    );
  }
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.byteLength !== IV_BYTES || tagBytes.byteLength !== TAG_BYTES) {
    throw new VaultDecryptError("malformed", "Vault ciphertext has a wrong-sized IV or tag", keyId);
  }
  return { keyId, iv: ivBytes, tag: tagBytes, body: Buffer.from(body, "base64url") };
}
