import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import type { TriggerIntegration } from "../integration";
import { connectedRotating, OAuthFixtureServer, RotatingProvider } from "./__fixtures__/oauth-server";
import { lifecycleAuthResolver } from "./auth-resolver";

const server = new OAuthFixtureServer();
const provider = new RotatingProvider(server, 3600);
beforeAll(() => server.start());
afterAll(() => server.stop());

const connected = () => connectedRotating(provider);

describe("forceRefresh: a token the provider refused although it had not expired", () => {
  it("refreshes a token far from expiry only when forced", async () => {
    const { lifecycle } = await connected();
    const before = provider.refreshRequests;
    const unforced = await lifecycle.authFor("user-1");
    expect(provider.refreshRequests).toBe(before);

    const forced = await lifecycle.authFor("user-1", { forceRefresh: true });
    expect(provider.refreshRequests - before).toBe(1);
    expect(forced.accessToken).not.toBe(unforced.accessToken);
    expect(await lifecycle.authFor("user-1")).toEqual(forced);
  });

  it("is single-flight: 20 concurrent forced callers cause one refresh and share its token", async () => {
    const { lifecycle, stored } = await connected();
    const connection = await stored();
    const before = provider.refreshRequests;
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? lifecycle.authFor("user-1", { forceRefresh: true }).then((auth) => auth.accessToken)
          : lifecycle
              .freshCredential(connection, { force: true })
              .then((credential) => credential.accessToken),
      ),
    );
    expect(provider.refreshRequests - before).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(connection.credential.accessToken);
  });

  it("does not refresh again for a caller whose refused token was already replaced", async () => {
    const { lifecycle, stored } = await connected();
    const refusedCopy = await stored();
    const replaced = await lifecycle.freshCredential(refusedCopy, { force: true });
    const before = provider.refreshRequests;
    // A second worker was refused the same old token: the stored one is already new.
    expect(await lifecycle.freshCredential(refusedCopy, { force: true })).toEqual(replaced);
    expect(provider.refreshRequests).toBe(before);
    // Refused again, the new token is replaced in turn.
    const again = await lifecycle.freshCredential(await stored(), { force: true });
    expect(provider.refreshRequests - before).toBe(1);
    expect(again.accessToken).not.toBe(replaced.accessToken);
  });

  it("uses the connection named by connectionId", async () => {
    const { lifecycle, stored } = await connected();
    const older = await stored();
    const started = lifecycle.beginOAuth("user-1");
    await lifecycle.completeOAuth({ ...provider.consent(started.authUrl), userId: "user-1" });
    const refreshed = await lifecycle.authFor("user-1", { forceRefresh: true, connectionId: older.id });
    expect((await stored()).credential.accessToken).toBe(refreshed.accessToken);
    expect(refreshed.accessToken).not.toBe(older.credential.accessToken);
  });

  it("returns a connection without a refresh token as it is", async () => {
    const { lifecycle } = await connected();
    await lifecycle.connectApiKey({
      userId: "user-2",
      apiKey: (await lifecycle.authFor("user-1")).accessToken,
    });
    const before = provider.refreshRequests;
    const auth = await lifecycle.authFor("user-2", { forceRefresh: true });
    expect(auth.type).toBe("apiKey");
    expect(provider.refreshRequests).toBe(before);
  });

  it("marks the connection failed when the forced refresh is refused", async () => {
    const { lifecycle, stored } = await connected();
    provider.revokeRefreshTokens();
    const error = await lifecycle.authFor("user-1", { forceRefresh: true }).catch((e: unknown) => e);
    expect(IntegrationError.isInstance(error) && error.type).toBe("auth");
    expect((await stored()).tokenRefreshStatus).toBe("failed");
  });

  it("reaches the lifecycle through lifecycleAuthResolver's forceRefresh", async () => {
    const { lifecycle } = await connected();
    const resolve = lifecycleAuthResolver({ rotating: lifecycle }, "user-1");
    const integration = { metadata: { id: "rotating", name: "Rotating" } } as TriggerIntegration;
    const request = { integration, connectionKey: "k", runId: "r", jobId: "j" };
    const before = provider.refreshRequests;
    const plain = await resolve(request);
    expect(provider.refreshRequests).toBe(before);
    const forced = await resolve({ ...request, forceRefresh: true });
    expect(provider.refreshRequests - before).toBe(1);
    expect(forced?.accessToken).not.toBe(plain?.accessToken);
    expect(forced).toEqual(await lifecycle.authFor("user-1"));
  });
});
