import { describe, expect, it } from "vitest";
import { pollingConnectionAuth } from "../src/index";

describe("pollingConnectionAuth", () => {
  it("asks the workflow's connection for its auth as it is now, before every poll", async () => {
    let refreshed = 0;
    const auth = pollingConnectionAuth("acme", "acme.newWidget", {
      connection: { id: "c1", auth: async () => ({ type: "oauth2", accessToken: `tok-${++refreshed}` }) },
    });
    expect((await auth()).accessToken).toBe("tok-1");
    expect((await auth()).accessToken).toBe("tok-2");
  });

  it("fails every poll as auth, naming the trigger, without a connection", async () => {
    await expect(pollingConnectionAuth("acme", "acme.newWidget")()).rejects.toMatchObject({
      type: "auth",
      provider: "acme",
      code: "no_connection",
      message: expect.stringContaining("acme.newWidget"),
    });
  });
});
