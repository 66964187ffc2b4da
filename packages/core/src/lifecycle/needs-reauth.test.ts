import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectedRotating, OAuthFixtureServer, RotatingProvider } from "./__fixtures__/oauth-server";
import type { StoredConnection } from "./connection-store";

const server = new OAuthFixtureServer();
const provider = new RotatingProvider(server, 3600);
beforeAll(() => server.start());
afterAll(() => server.stop());

const connected = () => connectedRotating(provider);

/** What a SQL store returns for a row whose ciphertext the vault cannot decrypt. */
function unreadable(of: StoredConnection, id: string, createdAt: string): StoredConnection {
  return {
    ...of,
    id,
    createdAt,
    credential: { accessToken: "" },
    tokenMasked: "tok_…wxyz",
    needsReauth: true,
  };
}

describe("a connection whose credential cannot be read (needsReauth)", () => {
  it("is listed with its stored tokenMasked, and health is degraded while another connection works", async () => {
    const { store, lifecycle, stored } = await connected();
    const working = await stored();
    await store.saveConnection(unreadable(working, "conn-unreadable", "2025-01-01T00:00:00.000Z"));

    const listed = await lifecycle.listConnections("user-1");
    expect(listed.map((c) => [c.id, c.tokenMasked, c.needsReauth])).toEqual([
      ["conn-unreadable", "tok_…wxyz", true],
      [working.id, expect.not.stringMatching(/^tok_…wxyz$/), undefined],
    ]);
    expect(await lifecycle.health("user-1")).toMatchObject({
      status: "degraded",
      details: { auth: true, apiReachable: true, errorType: "auth" },
    });
    // Jobs and workflows keep using the readable connection.
    expect((await lifecycle.authFor("user-1")).accessToken).toBe(working.credential.accessToken);
    await expect(lifecycle.testConnection("user-1", "conn-unreadable")).rejects.toMatchObject({
      type: "auth",
      code: "needs_reauth",
    });
  });

  it("makes health down, and authFor an auth error, when no connection can be read", async () => {
    const { store, lifecycle, stored } = await connected();
    const only = await stored();
    await store.saveConnection(unreadable(only, only.id, only.createdAt));
    expect(await lifecycle.health("user-1")).toMatchObject({
      status: "down",
      details: { auth: false, errorType: "auth", message: expect.stringMatching(/cannot be read/) },
    });
    await expect(lifecycle.authFor("user-1")).rejects.toMatchObject({ type: "auth", code: "needs_reauth" });
    // Removing it works although it cannot be revoked at the provider.
    expect(await lifecycle.disconnect("user-1", only.id)).toBe(true);
    expect(await lifecycle.listConnections("user-1")).toEqual([]);
  });
});
