import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  WebhookRegistrationRecord,
  WebhookSecretRecord,
  WebhookSecretStore,
} from "../src/stores/webhook-secret-store";
import type { Vault } from "../src/vault/vault";

/** A fresh, empty secret store under test, and a way to read what it wrote. */
export interface WebhookSecretStoreHarness {
  store: WebhookSecretStore;
  /** The `secret_ciphertext` column as stored, to prove no secret is kept in the clear. */
  rawCiphertexts(): Promise<string[]>;
  close(): Promise<void>;
}

const secret = (connectionId: string, secretId: string, overrides: Partial<WebhookSecretRecord> = {}) => ({
  connectionId,
  secretId,
  provider: "github",
  secret: `whsec-${connectionId}-${secretId}-0123456789abcdef`,
  createdAt: "2025-01-15T12:00:00.000Z",
  ...overrides,
});

/** The contract of a `WebhookSecretStore`, as a vitest suite. */
export function describeWebhookSecretStore(
  name: string,
  vault: Vault,
  create: (vault: Vault) => Promise<WebhookSecretStoreHarness>,
): void {
  describe(`WebhookSecretStore contract: ${name}`, () => {
    let harness: WebhookSecretStoreHarness;

    beforeEach(async () => {
      harness = await create(vault);
    });
    afterEach(async () => {
      await harness.close();
    });

    it("lists a connection's secrets oldest first, and only that connection's", async () => {
      const { store } = harness;
      await store.saveSecret(secret("c-1", "hook-2", { createdAt: "2025-01-15T12:00:02.000Z" }));
      await store.saveSecret(secret("c-1", "hook-1", { createdAt: "2025-01-15T12:00:01.000Z" }));
      await store.saveSecret(secret("c-2", "hook-1"));
      expect(await store.listSecrets("c-1")).toStrictEqual([
        secret("c-1", "hook-1", { createdAt: "2025-01-15T12:00:01.000Z" }),
        secret("c-1", "hook-2", { createdAt: "2025-01-15T12:00:02.000Z" }),
      ]);
      expect(await store.listSecrets("c-3")).toEqual([]);
    });

    it("replaces a secret saved again under the same id, and deletes one", async () => {
      const { store } = harness;
      await store.saveSecret(secret("c-1", "hook-1"));
      await store.saveSecret(secret("c-1", "hook-1", { secret: "rotated-secret-value-0123456789" }));
      expect((await store.listSecrets("c-1")).map((s) => s.secret)).toEqual([
        "rotated-secret-value-0123456789",
      ]);
      expect(await store.deleteSecret("c-1", "hook-1")).toBe(true);
      expect(await store.deleteSecret("c-1", "hook-1")).toBe(false);
      expect(await store.listSecrets("c-1")).toEqual([]);
    });

    it("stores only vault ciphertext", async () => {
      const record = secret("c-1", "hook-1");
      await harness.store.saveSecret(record);
      const raw = await harness.rawCiphertexts();
      expect(raw).toHaveLength(1);
      expect(raw[0]).toMatch(/^av1\./);
      expect(raw[0]).not.toContain(record.secret);
    });

    it("keeps registrations by key: saved, listed, replaced and deleted", async () => {
      const { store } = harness;
      const registration = (
        key: string,
        overrides: Partial<WebhookRegistrationRecord> = {},
      ): WebhookRegistrationRecord => ({
        key,
        provider: "github",
        connectionId: "c-1",
        url: "https://autoflow.example.com/api/webhooks/github/c-1",
        externalId: "17",
        secretId: key,
        createdAt: "2025-01-15T12:00:00.000Z",
        status: "active",
        ...overrides,
      });
      await store.saveRegistration(registration("github:octo-org/hello:push"));
      await store.saveRegistration(registration("github:octo-org/hello:issues"));
      await store.saveRegistration(
        registration("github:octo-org/hello:push", { externalId: "18", url: "https://new.example.com/h" }),
      );
      expect(await store.listRegistrations()).toStrictEqual([
        registration("github:octo-org/hello:issues"),
        registration("github:octo-org/hello:push", { externalId: "18", url: "https://new.example.com/h" }),
      ]);
      // An intent recorded before its hook exists reads back as pending, and completes in place.
      await store.saveRegistration(
        registration("github:octo-org/hello:star", { externalId: "", status: "pending" }),
      );
      expect((await store.listRegistrations()).find((r) => r.key.endsWith(":star"))).toMatchObject({
        status: "pending",
        externalId: "",
      });
      await store.saveRegistration(registration("github:octo-org/hello:star", { externalId: "19" }));
      expect((await store.listRegistrations()).find((r) => r.key.endsWith(":star"))).toMatchObject({
        status: "active",
        externalId: "19",
      });
      await store.deleteRegistration("github:octo-org/hello:star");
      expect(await store.deleteRegistration("github:octo-org/hello:push")).toBe(true);
      expect(await store.deleteRegistration("github:octo-org/hello:push")).toBe(false);
      expect((await store.listRegistrations()).map((r) => r.key)).toEqual(["github:octo-org/hello:issues"]);
    });
  });
}
