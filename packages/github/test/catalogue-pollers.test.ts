import { catalogueHarness } from "@autoflow/actions/testing";
import { IntegrationError, pollingTriggerId } from "@autoflow/core";
import { GithubEmulator, ManualClock } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubProvider } from "../src/provider";

// The catalogue's polling entries, as a stored workflow builds them: listing with the workflow's connection.
const clock = new ManualClock(Date.UTC(2026, 3, 1, 9));
const github = new GithubEmulator({ clock });
let token: string;
const REPO = { owner: "octo-org", repo: "hello" };
const { registry, poller } = catalogueHarness(githubProvider.triggers, () => ({
  providers: { github: { ...githubProvider.clientOptions({ apiUrl: github.url }), timeoutMs: 5_000 } },
}));
const connection = (id: string) => ({
  id,
  auth: async () => ({ type: "oauth2" as const, accessToken: token }),
});

beforeAll(async () => {
  await github.start();
  token = github.mintToken({ login: "octocat", scopes: ["repo"] });
});
afterAll(() => github.stop());

describe("GitHub catalogue pollers", () => {
  it("are polling entries in the catalogue", () => {
    for (const key of ["github.newStar", "github.issueUpdated"]) {
      expect(registry.list().find((t) => t.key === key)).toMatchObject({
        kind: "polling",
        provider: "github",
      });
    }
    expect(registry.list().find((t) => t.key === "github.push")).toMatchObject({ kind: "webhook" });
  });

  it("keep a cursor per connection: the identity is provider, connection, key and inputs", () => {
    const one = poller({ key: "github.issueUpdated", inputs: REPO }, connection("conn_1"));
    const again = poller(
      { key: "github.issueUpdated", inputs: { ...REPO, owner: "Octo-Org" } },
      connection("conn_1"),
    );
    const other = poller({ key: "github.issueUpdated", inputs: REPO }, connection("conn_2"));
    expect(one.id).toBe(
      pollingTriggerId({
        provider: "github",
        key: "github.issueUpdated",
        inputs: REPO,
        connectionId: "conn_1",
      }),
    );
    expect(again.id).toBe(one.id);
    expect(other.id).not.toBe(one.id);
    expect(one.key).toBe("github.issueUpdated");
  });

  it("list issues updated with the connection's token: nothing historic, then the new issue", async () => {
    const trigger = poller({ key: "github.issueUpdated", inputs: REPO }, connection("conn_1"));
    const baseline = await trigger.poll(undefined);
    expect(baseline.items).toEqual([]);
    clock.advance(1_000);
    const created = await fetch(`${github.url}/repos/octo-org/hello/issues`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "polled" }),
    });
    const { number } = (await created.json()) as { number: number };
    const next = await trigger.poll(baseline.cursor);
    expect(next.items.map((issue) => (issue as { number: number }).number)).toEqual([number]);
  });

  it("fail as auth without a connection", async () => {
    const trigger = poller({ key: "github.newStar", inputs: REPO });
    const failure = await trigger.poll(undefined).catch((error: unknown) => error);
    expect(IntegrationError.isInstance(failure) && failure.type).toBe("auth");
  });
});
