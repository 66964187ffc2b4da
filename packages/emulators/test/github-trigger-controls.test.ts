import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GithubEmulator, ManualClock } from "../src/index";

// The controls trigger tests use: eventually consistent `since` listings, hooks deleted or turned off behind the service's back.
const clock = new ManualClock(Date.UTC(2026, 3, 1, 12));
const emulator = new GithubEmulator({ clock, sinceListingLagMs: 120_000 });
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken({ scopes: ["repo", "admin:repo_hook"] });
});
afterAll(() => emulator.stop());

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json().catch(() => undefined)) as never };
}

describe("GitHub emulator trigger controls", () => {
  it("lists a new issue in `since` listings at once and an edited one only after the lag", async () => {
    const since = new Date(clock.now()).toISOString();
    const created = await api("POST", "/repos/octo-org/hello/issues", { title: "fresh" });
    const number = (created.json as { number: number }).number;
    const listed = async () =>
      (
        (await api("GET", `/repos/octo-org/hello/issues?since=${since}&sort=updated&direction=asc`)).json as {
          number: number;
        }[]
      ).map((i) => i.number);
    expect(await listed()).toContain(number);
    clock.advance(5_000);
    await api("PATCH", `/repos/octo-org/hello/issues/${number}`, { title: "edited" });
    expect(await listed()).not.toContain(number);
    // Without `since` the listing is consistent.
    const all = (await api("GET", "/repos/octo-org/hello/issues")).json as { number: number }[];
    expect(all.map((i) => i.number)).toContain(number);
    clock.advance(120_000);
    expect(await listed()).toContain(number);
  });

  it("deletes and deactivates hooks behind the API's back", async () => {
    const hook = async () =>
      (
        await api("POST", "/repos/octo-org/hello/hooks", {
          config: { url: "http://127.0.0.1:9/hook", content_type: "json" },
          events: ["issues"],
        })
      ).json as { id: number };
    const first = await hook();
    expect(emulator.deactivateHook("octo-org/hello", first.id)).toBe(true);
    expect((await api("GET", `/repos/octo-org/hello/hooks/${first.id}`)).json).toMatchObject({
      active: false,
    });
    expect(emulator.deleteHook("octo-org/hello", first.id)).toBe(true);
    expect((await api("GET", `/repos/octo-org/hello/hooks/${first.id}`)).status).toBe(404);
    expect(emulator.deleteHook("octo-org/hello", first.id)).toBe(false);
  });
});
