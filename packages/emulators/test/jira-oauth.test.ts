import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JiraEmulator, ManualClock } from "../src/index";

const clock = new ManualClock(Date.UTC(2026, 11, 6, 20, 0, 0));
const emulator = new JiraEmulator({ clock });
const redirectUri = "https://app.example.com/oauth/callback";

beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const tokenRequest = (body: Record<string, string>, form = false) =>
  fetch(`${emulator.webUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json" },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });

/** The consent flow as an app runs it: authorize (PKCE S256), then the code exchange. */
async function consent(scope: string) {
  const verifier = "a-code-verifier-long-enough-for-pkce-0123456789";
  const authorize = new URL(`${emulator.webUrl}/authorize`);
  for (const [name, value] of Object.entries({
    audience: "api.atlassian.com",
    client_id: emulator.oauthClient.clientId,
    scope,
    redirect_uri: redirectUri,
    state: "xyz",
    response_type: "code",
    prompt: "consent",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  })) {
    authorize.searchParams.set(name, value);
  }
  const redirect = await fetch(authorize, { redirect: "manual" });
  expect(redirect.status).toBe(302);
  const location = new URL(redirect.headers.get("location") ?? "");
  expect(location.searchParams.get("state")).toBe("xyz");
  const exchanged = await tokenRequest({
    grant_type: "authorization_code",
    client_id: emulator.oauthClient.clientId,
    client_secret: emulator.oauthClient.clientSecret,
    code: location.searchParams.get("code") ?? "",
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  expect(exchanged.status).toBe(200);
  return (await exchanged.json()) as {
    access_token: string;
    refresh_token?: string;
    expires_in: number;
    scope: string;
    token_type: string;
  };
}

describe("the Jira emulator's Atlassian OAuth 2.0 (3LO)", () => {
  it("consents, lists the site as an accessible resource, and serves the gateway with the token", async () => {
    const tokens = await consent("read:jira-work write:jira-work read:jira-user offline_access");
    expect(tokens).toMatchObject({ expires_in: 3600, token_type: "Bearer" });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const resources = await fetch(`${emulator.apiUrl}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await resources.json()).toEqual([
      {
        id: emulator.cloudId,
        url: emulator.siteUrl,
        name: expect.any(String),
        scopes: ["read:jira-work", "write:jira-work", "read:jira-user"],
        avatarUrl: expect.any(String),
      },
    ]);
    const tenant = await fetch(`${emulator.siteUrl}/_edge/tenant_info`);
    expect(await tenant.json()).toEqual({ cloudId: emulator.cloudId });
    const myself = await fetch(`${emulator.apiUrl}/ex/jira/${emulator.cloudId}/rest/api/3/myself`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(myself.status).toBe(200);
    expect(await myself.json()).toMatchObject({ emailAddress: "ada@example.com" });
  });

  it("answers a refresh token only with offline_access", async () => {
    const tokens = await consent("read:jira-work");
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("rotates refresh tokens: each refresh answers a new one and the used one is refused with invalid_grant", async () => {
    const first = await consent("read:jira-work offline_access");
    const refresh = (token: string, form = false) =>
      tokenRequest(
        {
          grant_type: "refresh_token",
          client_id: emulator.oauthClient.clientId,
          client_secret: emulator.oauthClient.clientSecret,
          refresh_token: token,
        },
        form,
      );
    const second = await refresh(first.refresh_token ?? "", true);
    expect(second.status).toBe(200);
    const rotated = (await second.json()) as { access_token: string; refresh_token: string };
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    const reused = await refresh(first.refresh_token ?? "");
    expect(reused.status).toBe(403);
    expect(await reused.json()).toMatchObject({ error: "invalid_grant" });
    expect((await refresh(rotated.refresh_token)).status).toBe(200);
    // The access token a refresh replaced is not revoked: it works until its hour is up.
    const project = (token: string) =>
      fetch(`${emulator.gatewayUrl}/rest/api/3/project/OPS`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await project(first.access_token)).status).toBe(200);
    expect((await project(rotated.access_token)).status).toBe(200);
    clock.advance(3600_000);
    expect((await project(first.access_token)).status).toBe(401);
  });

  it("expires access tokens on the emulator clock, and keeps 3LO tokens and API tokens to their own doors", async () => {
    const token = emulator.mintToken();
    const gateway = (bearer: string) =>
      fetch(`${emulator.gatewayUrl}/rest/api/3/myself`, { headers: { authorization: `Bearer ${bearer}` } });
    expect((await gateway(token)).status).toBe(200);
    const onSite = await fetch(`${emulator.siteUrl}/rest/api/3/myself`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(onSite.status).toBe(401);
    const apiToken = emulator.mintApiToken();
    const basic = `Basic ${Buffer.from(`${apiToken.email}:${apiToken.apiToken}`).toString("base64")}`;
    expect(
      (await fetch(`${emulator.gatewayUrl}/rest/api/3/myself`, { headers: { authorization: basic } })).status,
    ).toBe(401);
    expect(
      (await fetch(`${emulator.siteUrl}/rest/api/3/myself`, { headers: { authorization: basic } })).status,
    ).toBe(200);
    const wrongEmail = `Basic ${Buffer.from(`grace@example.com:${apiToken.apiToken}`).toString("base64")}`;
    expect(
      (await fetch(`${emulator.siteUrl}/rest/api/3/myself`, { headers: { authorization: wrongEmail } }))
        .status,
    ).toBe(401);
    clock.advance(3600_000);
    expect((await gateway(token)).status).toBe(401);
    expect(emulator.revokeToken(apiToken.apiToken)).toBe(true);
    expect(
      (await fetch(`${emulator.siteUrl}/rest/api/3/myself`, { headers: { authorization: basic } })).status,
    ).toBe(401);
  });

  it("refuses a token without the operation's scope as the gateway does (scope does not match)", async () => {
    const readOnly = emulator.mintToken({ scopes: ["read:jira-work"] });
    const response = await fetch(`${emulator.gatewayUrl}/rest/api/3/issue`, {
      method: "POST",
      headers: { authorization: `Bearer ${readOnly}`, "content-type": "application/json" },
      body: JSON.stringify({
        fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "x" },
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/scope does not match/);
  });
});
