import { MemoryConnectionStore } from "@autoflow/core";
import { consent, describeConnectorLifecycle } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGithubLifecycle, type GithubAuthMethod, type GithubConnectionMetadata } from "../src/index";

const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const oauthClient = () => ({
  clientId: emulator.oauthApp.clientId,
  clientSecret: emulator.oauthApp.clientSecret,
  redirectUri: "http://127.0.0.1:9/callback",
});

// The github.com-style base URL runs in the shared suite (provider.test.ts); GHES's /api/v3 runs here.
describe.each([["GitHub Enterprise Server base URL (/api/v3)", () => emulator.enterpriseApiUrl]])(
  "with a %s",
  (_name, baseUrl) => {
    describeConnectorLifecycle<GithubAuthMethod, GithubConnectionMetadata>({
      provider: "github",
      createLifecycle: (store, clock) =>
        createGithubLifecycle({
          store,
          clock,
          baseUrl: baseUrl(),
          oauthClient: oauthClient(),
          timeoutMs: 10_000,
        }),
      // A user token of the lifecycle's OAuth app: the one kind GitHub lets the app revoke.
      mintToken: () => emulator.mintToken({ clientId: emulator.oauthApp.clientId }),
      expectedMetadata: { login: "octocat", accountId: String(emulator.state.accounts.get("octocat")?.id) },
      requestCount: () => emulator.requests.length,
      injectFault: (fault) => emulator.injectFault(fault),
      resetFaults: () => emulator.clearFaults(),
    });
  },
);

describe("GitHub specifics", () => {
  const lifecycle = () =>
    createGithubLifecycle({
      store: new MemoryConnectionStore(),
      baseUrl: emulator.url,
      oauthClient: oauthClient(),
    });

  it("reads the granted scopes, which GitHub separates with commas, from x-oauth-scopes", async () => {
    const life = lifecycle();
    const started = life.beginOAuth("user-1");
    expect(new URL(started.authUrl).pathname).toBe("/login/oauth/authorize");
    expect(new URL(started.authUrl).searchParams.get("scope")).toBe("repo,read:user");
    const connection = await life.completeOAuth({ ...(await consent(started.authUrl)), userId: "user-1" });
    expect(connection).toMatchObject({
      authMethod: "oauth2",
      scopes: ["repo", "read:user"],
      login: "octocat",
    });
    expect((await life.authFor("user-1")).scopes).toEqual(["repo", "read:user"]);
  });

  it("sends the PKCE verifier: an exchange without it is refused", async () => {
    const life = lifecycle();
    const started = life.beginOAuth("user-1");
    const { code } = await consent(started.authUrl);
    // The same code redeemed without the verifier, straight at the token endpoint.
    const response = await fetch(`${emulator.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({
        client_id: oauthClient().clientId,
        client_secret: oauthClient().clientSecret,
        code,
      }),
    });
    expect(await response.json()).toMatchObject({ error: "bad_verification_code" });
  });

  it("classifies a bad OAuth code as auth, with GitHub's error code", async () => {
    const life = lifecycle();
    const { state } = life.beginOAuth("user-1");
    const error = await life.completeOAuth({ code: "not-a-code", state }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: "auth", code: "bad_verification_code" });
  });

  it("disconnects a personal access token without revoking it: GitHub lets only its owner do that", async () => {
    const life = lifecycle();
    const pat = emulator.mintToken();
    const connection = await life.connectApiKey({ userId: "user-1", accessToken: pat });
    expect(connection).toMatchObject({ authMethod: "personal_token", login: "octocat" });
    expect(await life.disconnect("user-1", connection.id)).toBe(true);
    expect(await life.listConnections("user-1")).toEqual([]);
    expect(emulator.oauth.lookup(pat)).toBeDefined();
  });
});
