import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteUrlRefusal } from "../src/http/site-url-refusal";
import { PROVIDER_IDS } from "../src/providers";
import { startTestServer, type TestServer } from "./http-server";
import { removeTempDirs } from "./sqlite-temp";

afterAll(removeTempDirs);

// A `siteUrl` given with an API key is where the service will send the user's calls: it passes the egress
// policy when it is given, so nobody can aim the service at its own network or a cloud metadata address.
// The check is the route's, before any store: SQLite is enough.
describe("POST /api/integrations/:provider/connections with a siteUrl", () => {
  const provider = PROVIDER_IDS[0] as string;
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("sqlite", {});
  });
  afterAll(() => t?.close());

  it.each([
    ["the metadata address", "http://169.254.169.254/latest/meta-data", /linkLocal/],
    ["loopback", "http://127.0.0.1:5432", /loopback/],
    ["a private network", "https://10.0.0.8", /private/],
    ["a URL with credentials", "https://a:b@example.com", /must not carry credentials/],
  ])("refuses %s with a 400 naming siteUrl, and stores nothing", async (_name, siteUrl, why) => {
    const answer = await t.call("POST", `/api/integrations/${provider}/connections`, {
      body: { apiKey: "not-checked-0000", email: "ada@example.com", siteUrl },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: { code: "invalid_request", message: expect.stringMatching(why) },
    });
    expect((answer.json as { error: { message: string } }).error.message).toMatch(/^siteUrl: /);
    const listed = await t.call("GET", `/api/integrations/${provider}/connections`);
    expect(listed.json).toEqual([]);
  });

  it("refuses an email or a siteUrl that is not one, as the body's 400", async () => {
    for (const body of [
      { apiKey: "k-00000000", email: "not-an-email" },
      { apiKey: "k-00000000", siteUrl: "not a url" },
      { apiKey: "k-00000000", siteUrl: `https://example.com/${"x".repeat(2100)}` },
    ]) {
      const answer = await t.call("POST", `/api/integrations/${provider}/connections`, { body });
      expect(answer.status).toBe(400);
    }
  });
});

describe("siteUrlRefusal", () => {
  it("trusts the provider's configured API and web URLs (an emulator), and checks every other site", async () => {
    const refusal = siteUrlRefusal(
      {
        acme: {
          redirectUri: "http://127.0.0.1/cb",
          apiUrl: "http://127.0.0.1:4010/api",
          webUrl: "http://127.0.0.1:4011",
        },
      },
      {},
    );
    expect(await refusal("acme", "http://127.0.0.1:4010")).toBeUndefined();
    expect(await refusal("acme", "http://127.0.0.1:4011/")).toBeUndefined();
    expect(await refusal("acme", "http://127.0.0.1:4012")).toMatch(/loopback/);
    // Another provider's configured URL is not this one's.
    expect(await refusal("other", "http://127.0.0.1:4010")).toMatch(/loopback/);
  });
});
