import { consent } from "@autoflow/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORE_KINDS, startTestServer, type TestServer } from "./http-server";
import { TEST_DATABASE_URL, warnIfNoPostgres } from "./postgres-test-schema";
import { PROVIDER_HARNESSES, type ProviderHarness } from "./provider-harnesses";
import { removeTempDirs } from "./sqlite-temp";

warnIfNoPostgres("OAuth state");
afterAll(removeTempDirs);

const harness = (id: string): ProviderHarness => {
  const make = PROVIDER_HARNESSES[id];
  if (!make) throw new Error(`no ${id} harness`);
  return make();
};

describe.each(STORE_KINDS)("OAuth state checks on %s", (kind) => {
  describe.skipIf(kind === "postgres" && !TEST_DATABASE_URL)("", () => {
    const slack = harness("slack");
    const github = harness("github");
    let t: TestServer;

    beforeAll(async () => {
      await Promise.all([slack.start(), github.start()]);
      // Both providers on one service: a state one of them issued can be sent to the other's endpoints.
      t = await startTestServer(kind, { ...slack.env(), ...github.env() });
    });
    afterAll(async () => {
      await t?.close();
      await Promise.all([slack.stop(), github.stop()]);
    });

    /** A Slack flow started by `user` and consented to at the emulator: the code and state a browser would carry. */
    async function slackConsent(user: string) {
      const start = await t.call("POST", "/api/integrations/slack/oauth/start", { user });
      expect(start.status).toBe(200);
      return consent((start.json as { authUrl: string }).authUrl);
    }
    const callback = (provider: string, code: string, state: string) =>
      t.call("GET", `/api/integrations/${provider}/oauth/callback?${new URLSearchParams({ code, state })}`, {
        user: null,
      });
    const connections = async (provider: string, user: string) =>
      (await t.call("GET", `/api/integrations/${provider}/connections`, { user })).json as unknown[];

    it("refuses a callback on the wrong provider without using up the state: the rightful callback still connects", async () => {
      const { code, state } = await slackConsent("user-callback");
      const misrouted = await callback("github", code, state);
      expect(misrouted.status).toBe(400);
      expect(misrouted.json).toMatchObject({ error: { code: "state_provider_mismatch" } });

      const rightful = await callback("slack", code, state);
      expect(rightful.status).toBe(201);
      expect(await connections("slack", "user-callback")).toHaveLength(1);
      expect(await connections("github", "user-callback")).toEqual([]);
    });

    it("refuses POST oauth/complete on the wrong provider without using up the state", async () => {
      const { code, state } = await slackConsent("user-complete");
      const misrouted = await t.call("POST", "/api/integrations/github/oauth/complete", {
        user: "user-complete",
        body: { code, state },
      });
      expect(misrouted.status).toBe(400);
      expect(misrouted.json).toMatchObject({ error: { code: "state_provider_mismatch" } });

      const rightful = await t.call("POST", "/api/integrations/slack/oauth/complete", {
        user: "user-complete",
        body: { code, state },
      });
      expect(rightful.status).toBe(201);
      expect(await connections("slack", "user-complete")).toHaveLength(1);
    });

    it("leaves the flow usable after another user's attempt and after a wrong-provider one, then uses it up once", async () => {
      const { code, state } = await slackConsent("user-victim");
      const stolen = await t.call("POST", "/api/integrations/slack/oauth/complete", {
        user: "user-attacker",
        body: { code, state },
      });
      expect(stolen.status).toBe(403);
      expect((await callback("github", code, state)).status).toBe(400);

      const rightful = await t.call("POST", "/api/integrations/slack/oauth/complete", {
        user: "user-victim",
        body: { code, state },
      });
      expect(rightful.status).toBe(201);
      const replay = await callback("slack", code, state);
      expect(replay.json).toMatchObject({ error: { code: "state_reused" } });
      expect(await connections("slack", "user-attacker")).toEqual([]);
      expect(await connections("slack", "user-victim")).toHaveLength(1);
    });

    it("never takes a PKCE verifier from the client: a body carrying one is a 400 and the flow stays usable", async () => {
      const { code, state } = await slackConsent("user-pkce");
      const sent = await t.call("POST", "/api/integrations/slack/oauth/complete", {
        user: "user-pkce",
        body: { code, state, codeVerifier: "chosen-by-the-client-0123456789012345678901" },
      });
      expect(sent.status).toBe(400);
      expect((await callback("slack", code, state)).status).toBe(201);
    });
  });
});
