import { Octokit } from "octokit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GithubEmulator, ManualClock } from "../src/index";

const owner = "octo-org";
const repo = "hello";

describe("GitHub: described operations without a route answer from the description", () => {
  const emulator = new GithubEmulator({ clock: new ManualClock() });
  const lax = new GithubEmulator({ requestValidation: "record" });
  let octokit: Octokit;
  let token: string;

  const raw = (path: string, init: RequestInit = {}, auth: string | null = token) =>
    fetch(`${emulator.url}${path}`, {
      ...init,
      headers: { ...(auth && { authorization: `token ${auth}` }), ...init.headers },
    });

  beforeAll(async () => {
    await emulator.start();
    await lax.start();
    token = emulator.mintToken();
    octokit = new Octokit({
      baseUrl: emulator.url,
      auth: token,
      throttle: { enabled: false },
      retry: { enabled: false },
    });
  });
  afterAll(async () => {
    await emulator.stop();
    await lax.stop();
  });

  it("answers through Octokit with the schema's shape, marked x-emulator-fallback: spec in the request log", async () => {
    const lock = await octokit.rest.issues.lock({ owner, repo, issue_number: 1, lock_reason: "resolved" });
    expect(lock.status).toBe(204);
    const milestones = await octokit.rest.issues.listMilestones({ owner, repo, state: "open", per_page: 10 });
    expect(milestones.headers["x-emulator-fallback"]).toBe("spec");
    expect(milestones.data[0]).toMatchObject({
      number: expect.any(Number),
      title: expect.any(String),
      state: "open",
    });
    const logged = emulator.requests.filter((r) => r.responseHeaders?.["x-emulator-fallback"] === "spec");
    expect(logged.map((r) => [r.operation, r.outcome])).toEqual([
      ["PUT /repos/{owner}/{repo}/issues/{issue_number}/lock", 204],
      ["GET /repos/{owner}/{repo}/milestones", 200],
    ]);
    // GitHub's headers as on a stateful route: the request id and the token's rate-limit budget.
    expect(milestones.headers["x-ratelimit-remaining"]).toBeDefined();
  });

  it("answers a literal path a stateful `:number` route would also take (`/issues/events`) from the description", async () => {
    const events = await octokit.rest.issues.listEventsForRepo({ owner, repo });
    expect(events.headers["x-emulator-fallback"]).toBe("spec");
    expect(events.data[0]).toMatchObject({ id: expect.any(Number), event: expect.any(String) });
  });

  it("answers under the GitHub Enterprise Server prefix too", async () => {
    const response = await raw("/api/v3/repos/octo-org/hello/tags");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-emulator-fallback")).toBe("spec");
  });

  it("refuses a wrong parameter type with GitHub's 422 naming it, a bad path segment with 404, bad JSON with 400", async () => {
    await expect(
      octokit.rest.issues.listMilestones({ owner, repo, per_page: "ten" as unknown as number }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: "Validation Failed",
          errors: [{ resource: "Issue", field: "per_page", code: "invalid" }],
          documentation_url: expect.any(String),
        },
      },
    });
    expect((await raw("/repos/octo-org/hello/issues/abc/lock", { method: "PUT" })).status).toBe(404);
    const unparseable = await raw("/repos/octo-org/hello/labels", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(unparseable.status).toBe(400);
    expect(await unparseable.json()).toMatchObject({ message: "Problems parsing JSON" });
    const missing = await raw("/repos/octo-org/hello/labels", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ color: "ff0000" }),
    });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ errors: [{ field: "name", code: "missing_field" }] });
  });

  it("checks the token first, as its routes do: none is 401 Requires authentication, a bad one 401 Bad credentials", async () => {
    const anonymous = await raw("/repos/octo-org/hello/tags", {}, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: "Requires authentication" });
    const forged = await raw("/repos/octo-org/hello/tags", {}, "ghp_forged");
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ message: "Bad credentials" });
  });

  it("still applies injected faults and rate limits", async () => {
    await emulator.injectFault("server-error");
    expect((await raw("/repos/octo-org/hello/tags")).status).toBe(500);
    await emulator.clearFaults();
    expect((await raw("/repos/octo-org/hello/tags")).status).toBe(200);
    emulator.rateLimit(1, 60_000);
    expect((await raw("/repos/octo-org/hello/tags")).status).toBe(200);
    const limited = await raw("/repos/octo-org/hello/tags");
    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBe("60");
    await emulator.clearFaults();
  });

  it("validates a stateful route's request too: refused by default, recorded with `requestValidation: 'record'`", async () => {
    const bad = { owner, repo, title: "Labels as text", labels: "bug" as unknown as string[] };
    await expect(octokit.rest.issues.create(bad)).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ field: "labels", code: "invalid" }] } },
    });
    expect(emulator.requestViolations.at(-1)).toMatchObject({
      operation: "POST /repos/{owner}/{repo}/issues",
      in: "body",
      field: "labels",
      code: "invalid",
    });
    const laxOctokit = new Octokit({ baseUrl: lax.url, auth: lax.mintToken(), retry: { enabled: false } });
    const created = await laxOctokit.rest.issues.create(bad);
    expect(created.status).toBe(201);
    expect(lax.requestViolations).toMatchObject([
      { operation: "POST /repos/{owner}/{repo}/issues", field: "labels" },
    ]);
  });
});
