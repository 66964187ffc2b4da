const configMarker = Symbol.for("autoflow.error.VaultConfigError");
const decryptMarker = Symbol.for("autoflow.error.VaultDecryptError");

/** The vault key configuration is missing or malformed; the message names the variable, never its value. */
export class VaultConfigError extends Error {
  override readonly name = "VaultConfigError";

  constructor(message: string) {
    super(message);
    Object.defineProperty(this, configMarker, { value: true });
  }

  static isInstance(error: unknown): error is VaultConfigError {
    return (
      typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[configMarker] === true
    );
  }
}

/** Why a ciphertext could not be decrypted. */
export type VaultDecryptReason = "malformed" | "unknown-key" | "authentication-failed";

/**
 * A ciphertext could not be decrypted: malformed, under a key the vault does not hold, or tampered with /
 * bound to another record (wrong AAD). Carries no plaintext, ciphertext or key material.
 */
export class VaultDecryptError extends Error {
  override readonly name = "VaultDecryptError";
  readonly reason: VaultDecryptReason;
  /** The key id named by the ciphertext, when it could be read. Not secret: a hash prefix of the key. */
  readonly keyId?: string;

  constructor(reason: VaultDecryptReason, message: string, keyId?: string) {
    super(message);
    this.reason = reason;
    if (keyId !== undefined) this.keyId = keyId;
    Object.defineProperty(this, decryptMarker, { value: true });
  }

  static isInstance(error: unknown): error is VaultDecryptError {
    return (
      typeof error === "object" &&
      error !== null &&
      (error as Record<symbol, unknown>)[decryptMarker] === true
    );
  }
}
