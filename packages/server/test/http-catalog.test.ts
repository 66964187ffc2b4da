import { integrationRegistry, triggerRegistry } from "@autoflow/providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./http-server";
import { removeTempDirs } from "./sqlite-temp";

afterAll(removeTempDirs);

describe("GET /api/catalog/actions and /api/catalog/triggers", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("sqlite", {});
  });
  afterAll(() => t.close());

  it("list the action registry with each action's JSON Schemas", async () => {
    const answer = await t.call("GET", "/api/catalog/actions", { user: "someone" });
    expect(answer.status).toBe(200);
    const { actions } = answer.json as { actions: { key: string; inputSchema: object }[] };
    expect(actions.map((a) => a.key)).toEqual(integrationRegistry.keys);
    expect(actions.find((a) => a.key === "slack.sendMessage")).toMatchObject({
      provider: "slack",
      inputSchema: { type: "object", properties: { channel: expect.any(Object) } },
    });
    expect(actions.find((a) => a.key === "http.request")).toBeDefined();
  });

  it("list the trigger registry with each trigger's schemas and kind", async () => {
    const answer = await t.call("GET", "/api/catalog/triggers", { user: "someone" });
    expect(answer.status).toBe(200);
    const { triggers } = answer.json as { triggers: { key: string }[] };
    expect(triggers).toEqual(JSON.parse(JSON.stringify(triggerRegistry.list())));
    expect(triggers.map((trigger) => trigger.key)).toContain("github.issueOpened");
  });

  it("need a user token, as every route does", async () => {
    for (const path of ["/api/catalog/actions", "/api/catalog/triggers"]) {
      expect((await t.call("GET", path, { user: null })).status).toBe(401);
    }
  });
});
