import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import type { TriggerIntegration } from "../integration";
import { lifecycleAuthResolver } from "../lifecycle/auth-resolver";
import { type ConnectionStore, MemoryConnectionStore } from "../lifecycle/connection-store";
import type { ConnectorLifecycle } from "../lifecycle/connector-lifecycle";
import { ConnectionLifecycleError } from "../lifecycle/lifecycle-errors";
import type { Clock } from "../runtime/clock";
import { createTestClock } from "./test-clock";

/** The faults a health check must report correctly. */
export type HealthFault = "unauthorized" | "rate-limited" | "connection-refused";

export interface LifecycleContractOptions<TAuthMethod extends string, TMetadata extends object> {
  provider: string;
  /** A lifecycle wired to the emulator (base URLs, OAuth client), over the given store and clock. */
  createLifecycle: (store: ConnectionStore, clock: Clock) => ConnectorLifecycle<TAuthMethod, TMetadata>;
  /** A token the emulator accepts, minted fresh for each call. */
  mintToken: () => string | Promise<string>;
  /** Metadata the public connection must carry, e.g. `{ teamId: "T01ACME000" }`. */
  expectedMetadata: Partial<TMetadata>;
  /** How many API requests the emulator has received so far (to prove health is cached). */
  requestCount: () => number;
  injectFault: (fault: HealthFault) => void | Promise<void>;
  resetFaults: () => void | Promise<void>;
  /** For providers whose OAuth tokens expire and refresh (the emulator must issue expiring tokens). */
  refresh?: {
    /** How many refresh-token grants the emulator's token endpoint has answered. */
    refreshRequestCount: () => number;
    /** Makes every outstanding refresh token invalid, as when the user removes the app. */
    invalidateRefreshTokens: () => void | Promise<void>;
  };
}

/** Follows an emulator's authorize URL like a consenting user's browser: returns the code and state from the redirect. */
export async function consent(authUrl: string): Promise<{ code: string; state: string }> {
  const response = await fetch(authUrl, { redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`authorize URL answered ${response.status} without a redirect: ${await response.text()}`);
  }
  const redirect = new URL(location);
  const code = redirect.searchParams.get("code");
  const state = redirect.searchParams.get("state");
  if (!code || !state) throw new Error(`redirect without code/state: ${location}`);
  return { code, state };
}

/** Registers the spec-003 lifecycle tests every provider package runs against its emulator. */
export function describeConnectorLifecycle<TAuthMethod extends string, TMetadata extends object>(
  options: LifecycleContractOptions<TAuthMethod, TMetadata>,
): void {
  const setup = () => {
    const store = new MemoryConnectionStore();
    const clock = createTestClock(Date.now());
    return { store, clock, lifecycle: options.createLifecycle(store, clock) };
  };

  const rejects = async (promise: Promise<unknown>, code: string) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ConnectionLifecycleError.isInstance(error), String(error)).toBe(true);
    expect((error as ConnectionLifecycleError).code).toBe(code);
  };

  describe(`${options.provider} connection lifecycle (spec 003)`, () => {
    it("completes OAuth with a single-use state and stores a public connection with only a masked token", async () => {
      const { lifecycle } = setup();
      const started = lifecycle.beginOAuth("user-1");
      expect(started.expiresInSeconds).toBeGreaterThan(0);
      expect(new URL(started.authUrl).searchParams.get("state")).toBe(started.state);
      if (lifecycle.adapter.oauth?.pkce) {
        expect(started.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
        expect(new URL(started.authUrl).searchParams.get("code_challenge_method")).toBe("S256");
      }
      const { code, state } = await consent(started.authUrl);
      expect(state).toBe(started.state);
      const connection = await lifecycle.completeOAuth({ code, state, userId: "user-1" });
      expect(connection).toMatchObject({
        userId: "user-1",
        authMethod: lifecycle.adapter.oauthAuthMethod,
        ...options.expectedMetadata,
      });
      expect(connection.id).toBeTruthy();
      expect(Number.isNaN(Date.parse(connection.createdAt))).toBe(false);
      const [listed] = await lifecycle.listConnections("user-1");
      expect(listed).toEqual(connection);
      const auth = await lifecycle.authFor("user-1");
      expect(JSON.stringify(connection)).not.toContain(auth.accessToken);
      expect(connection.tokenMasked).not.toBe(auth.accessToken);
      expect(await lifecycle.normalizedAuthFor("user-1")).toMatchObject({
        provider: options.provider,
        type: "oauth2",
        access_token: auth.accessToken,
      });
      // A job's HOSTED integration gets this same auth through the runner's resolveAuth.
      const resolve = lifecycleAuthResolver({ [options.provider]: lifecycle }, "user-1");
      const integration = {
        metadata: { id: options.provider, name: options.provider },
      } as TriggerIntegration;
      expect(await resolve({ integration, connectionKey: "k", runId: "r", jobId: "j" })).toEqual(auth);

      await rejects(lifecycle.completeOAuth({ code, state }), "state_reused");
    });

    it("refuses unknown, expired and other users' states", async () => {
      const { lifecycle, clock } = setup();
      await rejects(lifecycle.completeOAuth({ code: "x", state: "forged" }), "unknown_state");

      const mine = lifecycle.beginOAuth("user-1");
      const { code } = await consent(mine.authUrl);
      await rejects(
        lifecycle.completeOAuth({ code, state: mine.state, userId: "user-2" }),
        "state_user_mismatch",
      );

      const late = lifecycle.beginOAuth("user-1");
      const lateCode = await consent(late.authUrl);
      clock.advance((late.expiresInSeconds + 1) * 1000);
      await rejects(lifecycle.completeOAuth({ code: lateCode.code, state: late.state }), "state_expired");
      expect(await lifecycle.listConnections("user-2")).toEqual([]);
    });

    it("connects a valid token, and refuses an invalid one with an auth error, storing nothing", async () => {
      const { lifecycle } = setup();
      const token = await options.mintToken();
      const connection = await lifecycle.connectApiKey({ userId: "user-1", accessToken: token });
      expect(connection).toMatchObject({ userId: "user-1", ...options.expectedMetadata });
      expect(connection.tokenMasked).not.toContain(token.slice(6, -4));
      const normalized = await lifecycle.normalizedAuthFor("user-1");
      expect(normalized.provider).toBe(options.provider);
      expect(normalized.type).toBe(lifecycle.adapter.apiKeyAuthType ?? "bearer_token");
      expect(Object.values(normalized)).toContain(token);

      const error = await lifecycle
        .connectApiKey({ userId: "user-2", accessToken: "not-a-real-token-0000" })
        .catch((e) => e);
      expect(IntegrationError.isInstance(error)).toBe(true);
      expect((error as IntegrationError).type).toBe("auth");
      expect(await lifecycle.listConnections("user-2")).toEqual([]);
    });

    it("tests a connection with a real provider call", async () => {
      const { lifecycle } = setup();
      await lifecycle.connectApiKey({ userId: "user-1", accessToken: await options.mintToken() });
      const result = await lifecycle.testConnection("user-1");
      expect(result.ok).toBe("true");
      await rejects(lifecycle.testConnection("nobody"), "connection_not_found");
    });

    it("reports health ok, caches it, and reports faults in the taxonomy", async () => {
      const { lifecycle, clock } = setup();
      await lifecycle.connectApiKey({ userId: "user-1", accessToken: await options.mintToken() });
      const ok = await lifecycle.health("user-1");
      expect(ok).toMatchObject({
        status: "ok",
        details: { auth: true, apiReachable: true, rateLimited: false },
      });
      expect(ok).toMatchObject(options.expectedMetadata);
      const before = options.requestCount();
      expect(await lifecycle.health("user-1")).toEqual(ok);
      expect(options.requestCount()).toBe(before);

      const expectations = {
        "rate-limited": {
          status: "degraded",
          details: { rateLimited: true, errorType: "rate-limit", apiReachable: true },
        },
        unauthorized: { status: "down", details: { auth: false, errorType: "auth" } },
        "connection-refused": { status: "down", details: { apiReachable: false, errorType: "network" } },
      } as const;
      try {
        for (const [fault, expected] of Object.entries(expectations)) {
          await options.injectFault(fault as HealthFault);
          clock.advance(10 * 60_000);
          expect(await lifecycle.health("user-1"), fault).toMatchObject(expected);
          await options.resetFaults();
        }
      } finally {
        await options.resetFaults();
      }
    });

    const refresh = options.refresh;
    it.runIf(refresh)(
      "refreshes an expiring token once for ten concurrent callers, and fails closed on invalid_grant",
      async () => {
        if (!refresh) return;
        const { lifecycle, clock } = setup();
        const started = lifecycle.beginOAuth("user-1");
        const { code, state } = await consent(started.authUrl);
        await lifecycle.completeOAuth({ code, state });
        const first = await lifecycle.authFor("user-1");

        clock.advance(24 * 3600_000);
        const before = refresh.refreshRequestCount();
        const tokens = await Promise.all(Array.from({ length: 10 }, () => lifecycle.authFor("user-1")));
        expect(refresh.refreshRequestCount() - before).toBe(1);
        expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
        expect(tokens[0]?.accessToken).not.toBe(first.accessToken);
        expect((await lifecycle.testConnection("user-1")).ok).toBe("true");

        await refresh.invalidateRefreshTokens();
        clock.advance(24 * 3600_000);
        const error = await lifecycle.authFor("user-1").catch((e: unknown) => e);
        expect(IntegrationError.isInstance(error) && error.type).toBe("auth");
        const health = await lifecycle.health("user-1");
        expect(health).toMatchObject({
          status: "down",
          tokenRefreshStatus: "failed",
          details: { auth: false, errorType: "auth" },
        });
      },
    );

    it("disconnects: revokes the token at the provider, and never touches another user's connection", async () => {
      const { lifecycle } = setup();
      const token = await options.mintToken();
      const connection = await lifecycle.connectApiKey({ userId: "user-1", accessToken: token });
      expect(await lifecycle.disconnect("user-2", connection.id)).toBe(false);
      expect(await lifecycle.listConnections("user-1")).toHaveLength(1);

      expect(await lifecycle.disconnect("user-1", connection.id)).toBe(true);
      expect(await lifecycle.listConnections("user-1")).toEqual([]);
      if (lifecycle.adapter.revoke) {
        const error = await lifecycle.adapter.describe({ accessToken: token }).catch((e) => e);
        expect(lifecycle.adapter.toIntegrationError(error).type).toBe("auth");
      }
      expect(await lifecycle.disconnect("user-1", connection.id)).toBe(false);
    });
  });
}
