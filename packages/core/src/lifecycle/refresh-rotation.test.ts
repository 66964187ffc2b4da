import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { connectedRotating, OAuthFixtureServer, RotatingProvider } from "./__fixtures__/oauth-server";

const server = new OAuthFixtureServer();
const provider = new RotatingProvider(server, 3600);
beforeAll(() => server.start());
afterAll(() => server.stop());

const connected = () => connectedRotating(provider);

describe("refresh with rotating, single-use refresh tokens", () => {
  it("refreshes once for 20 concurrent callers, who all get the new token, and stores the rotated refresh token with it", async () => {
    const { clock, lifecycle, stored } = await connected();
    const original = await stored();
    expect(original.credential.refreshToken).toBeDefined();

    // Four minutes before expiry: inside the five-minute refresh margin.
    clock.advance(3600_000 - 4 * 60_000);
    const before = provider.refreshRequests;
    const connection = await stored();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? lifecycle.authFor("user-1").then((auth) => auth.accessToken)
          : lifecycle.freshCredential(connection).then((credential) => credential.accessToken),
      ),
    );
    expect(provider.refreshRequests - before).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).not.toBe(original.credential.accessToken);

    const after = await stored();
    expect(after.credential.accessToken).toBe(results[0]);
    expect(after.credential.refreshToken).not.toBe(original.credential.refreshToken);
    expect(provider.isLiveRefreshToken(after.credential.refreshToken ?? "")).toBe(true);
    expect(provider.isLiveRefreshToken(original.credential.refreshToken ?? "")).toBe(false);
    expect(after.credential.expiresAt).toBe(new Date(clock.now() + 3600_000).toISOString());
    expect(after.tokenRefreshStatus).toBe("healthy");
    expect((await lifecycle.testConnection("user-1")).ok).toBe("true");
  });

  it("does not spend the rotated refresh token again for a caller holding the connection as it was before", async () => {
    const { clock, lifecycle, stored } = await connected();
    clock.advance(3600_000);
    const stale = await stored();
    const fresh = await lifecycle.freshCredential(stale);
    const before = provider.refreshRequests;
    // The stale copy still looks expired; the stored one is not, so no second (refused) refresh.
    expect(await lifecycle.freshCredential(stale)).toEqual(fresh);
    expect(provider.refreshRequests).toBe(before);
    expect((await stored()).tokenRefreshStatus).toBe("healthy");
  });

  it("refreshes again after the next expiry with the stored, rotated refresh token", async () => {
    const { clock, lifecycle, stored } = await connected();
    clock.advance(3600_000);
    const first = await lifecycle.authFor("user-1");
    const rotated = (await stored()).credential.refreshToken;

    clock.advance(3600_000);
    const before = provider.refreshRequests;
    const second = await lifecycle.authFor("user-1");
    expect(provider.refreshRequests - before).toBe(1);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(provider.isLiveRefreshToken(rotated ?? "")).toBe(false);
    expect((await stored()).tokenRefreshStatus).toBe("healthy");
    expect((await lifecycle.testConnection("user-1")).ok).toBe("true");
  });

  it("marks the connection failed when the provider refuses the refresh token, and reports it in health", async () => {
    const { clock, lifecycle, stored } = await connected();
    expect(await lifecycle.health("user-1")).toMatchObject({ status: "ok", tokenRefreshStatus: "healthy" });
    provider.revokeRefreshTokens();
    clock.advance(3600_000);
    const error = await lifecycle.authFor("user-1").catch((e: unknown) => e);
    expect(IntegrationError.isInstance(error) && error).toMatchObject({
      type: "auth",
      code: "invalid_grant",
    });
    expect((await stored()).tokenRefreshStatus).toBe("failed");
    expect(await lifecycle.health("user-1")).toMatchObject({
      status: "down",
      tokenRefreshStatus: "failed",
      details: { auth: false, errorType: "auth" },
    });
  });
});
