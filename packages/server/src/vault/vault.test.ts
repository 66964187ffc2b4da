import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { generateVaultKey, Vault, vaultKeyId } from "./vault";
import { VaultConfigError, VaultDecryptError } from "./vault-errors";

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const secret = '{"accessToken":"xoxb-super-secret","refreshToken":"xoxe-refresh"}';

function decryptError(fn: () => unknown): VaultDecryptError {
  try {
    fn();
  } catch (error) {
    if (VaultDecryptError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a VaultDecryptError");
}

function configError(fn: () => unknown): VaultConfigError {
  try {
    fn();
  } catch (error) {
    if (VaultConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a VaultConfigError");
}

// Swaps one character for another of the same alphabet (hex or base64url), so the part stays well-formed.
function flip(part: string, index = 0): string {
  const char = part[index] === "0" ? "1" : "0";
  return part.slice(0, index) + char + part.slice(index + 1);
}

describe("Vault", () => {
  const vault = new Vault({ primaryKey: keyA });

  it("round-trips text, with and without AAD", () => {
    expect(vault.decrypt(vault.encrypt(secret))).toBe(secret);
    expect(vault.decrypt(vault.encrypt(secret, "conn-1"), "conn-1")).toBe(secret);
    expect(vault.decrypt(vault.encrypt(""))).toBe("");
    expect(vault.decrypt(vault.encrypt("héllo 👋 こんにちは"))).toBe("héllo 👋 こんにちは");
  });

  it("writes av1.<keyId>.<iv>.<tag>.<ciphertext> with the key id from the key's sha256", () => {
    const ciphertext = vault.encrypt(secret);
    const [version, keyId, iv, tag, body, ...rest] = ciphertext.split(".");
    expect(rest).toEqual([]);
    expect(version).toBe("av1");
    expect(keyId).toBe(vaultKeyId(keyA));
    expect(keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(Buffer.from(iv ?? "", "base64url")).toHaveLength(12);
    expect(Buffer.from(tag ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(body ?? "", "base64url")).toHaveLength(Buffer.byteLength(secret));
    expect(ciphertext).not.toContain("xoxb");
  });

  it("uses a fresh random IV for every encryption", () => {
    const ciphertexts = Array.from({ length: 50 }, () => vault.encrypt(secret));
    const ivs = ciphertexts.map((c) => c.split(".")[2]);
    expect(new Set(ivs).size).toBe(50);
    expect(new Set(ciphertexts).size).toBe(50);
  });

  describe("detects tampering with each part", () => {
    const ciphertext = vault.encrypt(secret, "conn-1");
    const parts = ciphertext.split(".");
    const cases: [string, number, VaultDecryptError["reason"]][] = [
      ["version", 0, "malformed"],
      ["key id", 1, "unknown-key"],
      ["iv", 2, "authentication-failed"],
      ["tag", 3, "authentication-failed"],
      ["ciphertext", 4, "authentication-failed"],
    ];
    it.each(cases)("%s", (_part, index, reason) => {
      const tampered = parts.map((part, i) => (i === index ? flip(part, index === 1 ? 0 : 2) : part));
      const error = decryptError(() => vault.decrypt(tampered.join("."), "conn-1"));
      expect(error.reason).toBe(reason);
      expect(error.message).not.toContain("xoxb");
      expect(error.message).not.toContain(parts[4]);
    });

    it("a truncated or extended ciphertext", () => {
      expect(decryptError(() => vault.decrypt(ciphertext.slice(0, -2), "conn-1")).reason).toBe(
        "authentication-failed",
      );
      expect(decryptError(() => vault.decrypt(`${ciphertext}.x`, "conn-1")).reason).toBe("malformed");
      expect(decryptError(() => vault.decrypt("not a ciphertext")).reason).toBe("malformed");
      expect(decryptError(() => vault.decrypt(parts.slice(0, 4).join("."))).reason).toBe("malformed");
    });

    it("a key id relabelled to another key the vault holds", () => {
      const rotated = new Vault({ primaryKey: keyB, previousKeys: [keyA] });
      const relabelled = [parts[0], vaultKeyId(keyB), ...parts.slice(2)].join(".");
      expect(decryptError(() => rotated.decrypt(relabelled, "conn-1")).reason).toBe("authentication-failed");
    });

    it("a wrong-sized IV or tag", () => {
      const shortIv = [parts[0], parts[1], "AAAA", parts[3], parts[4]].join(".");
      expect(decryptError(() => vault.decrypt(shortIv, "conn-1")).reason).toBe("malformed");
    });
  });

  it("rejects a ciphertext decrypted under another AAD, or without its AAD", () => {
    const ciphertext = vault.encrypt(secret, "conn-1");
    expect(decryptError(() => vault.decrypt(ciphertext, "conn-2")).reason).toBe("authentication-failed");
    expect(decryptError(() => vault.decrypt(ciphertext)).reason).toBe("authentication-failed");
    expect(decryptError(() => vault.decrypt(vault.encrypt(secret), "conn-1")).reason).toBe(
      "authentication-failed",
    );
  });

  it("rejects a ciphertext from a vault with another key as unknown-key", () => {
    const other = new Vault({ primaryKey: keyB });
    const error = decryptError(() => vault.decrypt(other.encrypt(secret)));
    expect(error.reason).toBe("unknown-key");
    expect(error.keyId).toBe(vaultKeyId(keyB));
  });

  it("never puts key material in errors, logs or JSON", () => {
    const error = decryptError(() => vault.decrypt(new Vault({ primaryKey: keyB }).encrypt(secret)));
    const printed = [
      inspect(vault, { depth: 5, showHidden: true }),
      JSON.stringify(vault),
      inspect(error),
    ].join("\n");
    for (const key of [keyA, keyB]) {
      expect(printed).not.toContain(key.toString("base64"));
      expect(printed).not.toContain(key.toString("hex"));
    }
    expect(JSON.stringify(vault)).toBe(JSON.stringify({ primaryKeyId: vaultKeyId(keyA) }));
  });

  describe("key rotation", () => {
    const old = new Vault({ primaryKey: keyA });
    const rotated = new Vault({ primaryKey: keyB, previousKeys: [keyA] });

    it("decrypts ciphertexts written under a previous key", () => {
      expect(rotated.decrypt(old.encrypt(secret, "conn-1"), "conn-1")).toBe(secret);
    });

    it("writes new ciphertexts under the primary key", () => {
      expect(rotated.primaryKeyId).toBe(vaultKeyId(keyB));
      expect(rotated.encrypt(secret).split(".")[1]).toBe(vaultKeyId(keyB));
      expect(() => old.decrypt(rotated.encrypt(secret))).toThrow(VaultDecryptError);
    });

    it("tells which ciphertexts need re-encryption, and re-encrypts them", () => {
      const legacy = old.encrypt(secret, "conn-1");
      expect(rotated.needsReEncryption(legacy)).toBe(true);
      const migrated = rotated.reEncrypt(legacy, "conn-1");
      expect(rotated.needsReEncryption(migrated)).toBe(false);
      expect(rotated.decrypt(migrated, "conn-1")).toBe(secret);
      expect(decryptError(() => rotated.reEncrypt(legacy, "conn-2")).reason).toBe("authentication-failed");
    });

    it("fails needsReEncryption on something that is not a ciphertext", () => {
      expect(() => rotated.needsReEncryption("plaintext")).toThrow(VaultDecryptError);
    });
  });

  it("rejects keys that are not 32 bytes", () => {
    expect(configError(() => new Vault({ primaryKey: randomBytes(16) })).message).toMatch(/32 bytes, got 16/);
    expect(
      configError(() => new Vault({ primaryKey: keyA, previousKeys: [randomBytes(31)] })).message,
    ).toMatch(/previous key 1 must be 32 bytes/);
  });
});

describe("Vault.fromEnv", () => {
  it("reads the primary and previous keys", () => {
    const vault = Vault.fromEnv({
      AUTOFLOW_VAULT_KEY: keyB.toString("base64"),
      AUTOFLOW_VAULT_PREVIOUS_KEYS: ` ${keyA.toString("base64")} ,`,
    });
    expect(vault.primaryKeyId).toBe(vaultKeyId(keyB));
    const old = new Vault({ primaryKey: keyA });
    expect(vault.decrypt(old.encrypt(secret))).toBe(secret);
  });

  it("accepts a generated key, in standard or URL-safe base64", () => {
    const key = generateVaultKey();
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    expect(Vault.fromEnv({ AUTOFLOW_VAULT_KEY: key }).primaryKeyId).toMatch(/^[0-9a-f]{12}$/);
    const urlSafe = Buffer.from(key, "base64").toString("base64url");
    expect(Vault.fromEnv({ AUTOFLOW_VAULT_KEY: urlSafe }).primaryKeyId).toBe(
      Vault.fromEnv({ AUTOFLOW_VAULT_KEY: key }).primaryKeyId,
    );
  });

  const badKey = "bm90LWEta2V5LWJ1dC1zZWNyZXQ="; // "not-a-key-but-secret": 20 bytes
  const cases: [string, Record<string, string>, RegExp][] = [
    ["a missing", {}, /AUTOFLOW_VAULT_KEY is not set/],
    ["an empty", { AUTOFLOW_VAULT_KEY: "  " }, /AUTOFLOW_VAULT_KEY is not set/],
    ["a non-base64", { AUTOFLOW_VAULT_KEY: "this is not base64!" }, /AUTOFLOW_VAULT_KEY is not valid base64/],
    [
      "a wrong-length",
      { AUTOFLOW_VAULT_KEY: badKey },
      /AUTOFLOW_VAULT_KEY decodes to 20 bytes; it must be 32/,
    ],
    [
      "a wrong-length previous",
      {
        AUTOFLOW_VAULT_KEY: generateVaultKey(),
        AUTOFLOW_VAULT_PREVIOUS_KEYS: `${generateVaultKey()},${badKey}`,
      },
      /AUTOFLOW_VAULT_PREVIOUS_KEYS entry 2 decodes to 20 bytes/,
    ],
    [
      "a non-base64 previous",
      { AUTOFLOW_VAULT_KEY: generateVaultKey(), AUTOFLOW_VAULT_PREVIOUS_KEYS: "%%%%" },
      /AUTOFLOW_VAULT_PREVIOUS_KEYS entry 1 is not valid base64/,
    ],
  ];
  it.each(cases)("reports %s key without echoing it", (_case, env, message) => {
    const error = configError(() => Vault.fromEnv(env));
    expect(error.message).toMatch(message);
    for (const value of Object.values(env)) {
      for (const entry of value.split(",")) {
        if (entry.trim() !== "") expect(error.message).not.toContain(entry.trim());
      }
    }
  });
});
