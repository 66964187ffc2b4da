import { createCloudClient, isApiError } from "jira.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { JiraEmulator, JqlError, ManualClock, parseJql } from "../src/index";

const START = Date.UTC(2026, 11, 6, 20, 0, 0);
const clock = new ManualClock(START);
const emulator = new JiraEmulator({ clock, searchVisibilityLagMs: 2000 });
let jira: ReturnType<typeof createCloudClient>;

beforeAll(async () => {
  await emulator.start();
  const token = emulator.mintApiToken();
  jira = createCloudClient({
    host: token.siteUrl,
    auth: { type: "basic", email: token.email, apiToken: token.apiToken },
  });
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const keysOf = async (jql: string, extra: { maxResults?: number; nextPageToken?: string } = {}) => {
  const page = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({ jql, ...extra });
  return { keys: page.issues?.map((i) => i.key), page };
};

const errorOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isApiError(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
};

describe("the Jira emulator's enhanced search", () => {
  it("shows a created or changed issue only after the visibility lag; reads by key see it at once", async () => {
    const created = await jira.issues.createIssue({
      fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "First" },
    });
    expect(created.key).toBe("OPS-1");
    expect((await jira.issues.getIssue({ issueIdOrKey: "OPS-1" })).fields?.summary).toBe("First");
    expect((await keysOf("project = OPS")).keys).toEqual([]);
    expect(await jira.issueSearch.countIssues({ jql: "project = OPS" })).toEqual({ count: 0 });
    clock.advance(2000);
    expect((await keysOf("project = OPS")).keys).toEqual(["OPS-1"]);

    await jira.issues.editIssue({ issueIdOrKey: "OPS-1", fields: { summary: "Renamed" } });
    const stale = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: "key = OPS-1",
      fields: ["summary"],
    });
    expect(stale.issues?.[0]?.fields?.summary).toBe("First");
    clock.advance(2000);
    const fresh = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: "key = OPS-1",
      fields: ["summary"],
    });
    expect(fresh.issues?.[0]?.fields?.summary).toBe("Renamed");
  });

  it("filters by project, key, updated (epoch ms or a date) and issue property, and orders and pages", async () => {
    for (const summary of ["a", "b", "c"]) {
      await jira.issues.createIssue({
        fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary },
      });
      clock.advance(60_000);
    }
    await jira.issues.createIssue({
      fields: { project: { key: "ENG" }, issuetype: { name: "Bug" }, summary: "e" },
    });
    await jira.issueProperties.setIssueProperty({
      issueIdOrKey: "OPS-2",
      propertyKey: "autoflow",
      body: { taskKey: "t-2" },
    });
    clock.advance(5000);
    // Editing OPS-1 makes it the most recently updated.
    await jira.issues.editIssue({ issueIdOrKey: "OPS-1", fields: { labels: ["x"] } });
    clock.advance(5000);

    expect((await keysOf("project = OPS ORDER BY key ASC")).keys).toEqual(["OPS-1", "OPS-2", "OPS-3"]);
    expect((await keysOf('project = "ENG"')).keys).toEqual(["ENG-1"]);
    expect((await keysOf("project = OPS ORDER BY updated ASC, key ASC")).keys).toEqual([
      "OPS-2",
      "OPS-3",
      "OPS-1",
    ]);
    expect((await keysOf("project = OPS ORDER BY updated DESC")).keys).toEqual(["OPS-1", "OPS-3", "OPS-2"]);
    expect((await keysOf(`project = OPS AND updated >= ${START + 120_000} ORDER BY key ASC`)).keys).toEqual([
      "OPS-1",
      "OPS-3",
    ]);
    expect((await keysOf('updated >= "2026-12-06 20:02" ORDER BY key ASC')).keys).toEqual([
      "ENG-1",
      "OPS-1",
      "OPS-3",
    ]);
    expect((await keysOf('issue.property[autoflow].taskKey = "t-2"')).keys).toEqual(["OPS-2"]);
    expect((await keysOf("key = OPS-3")).keys).toEqual(["OPS-3"]);

    const first = await keysOf("project = OPS ORDER BY key ASC", { maxResults: 2 });
    expect(first.keys).toEqual(["OPS-1", "OPS-2"]);
    expect(first.page.isLast).toBe(false);
    expect(first.page).not.toHaveProperty("total");
    const second = await keysOf("project = OPS ORDER BY key ASC", {
      maxResults: 2,
      nextPageToken: first.page.nextPageToken as string,
    });
    expect(second.keys).toEqual(["OPS-3"]);
    expect(second.page.isLast).toBe(true);
    expect(second.page.nextPageToken).toBeUndefined();
  });

  it("answers only `id` unless fields are asked for, as the enhanced search does", async () => {
    await jira.issues.createIssue({
      fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "a" },
    });
    clock.advance(2000);
    const page = await jira.issueSearch.searchAndReconsileIssuesUsingJql({ jql: "project = OPS" });
    expect(page.issues?.[0]?.fields).toEqual({});
    const withFields = await jira.issueSearch.searchAndReconsileIssuesUsingJql({
      jql: "project = OPS",
      fields: ["summary", "updated"],
    });
    expect(withFields.issues?.[0]?.fields?.summary).toBe("a");
    expect(withFields.issues?.[0]?.fields?.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it("refuses JQL outside its subset, unbounded queries and unknown projects with Jira's 400", async () => {
    const unsupported = await errorOf(keysOf("status = Done"));
    expect(unsupported.status).toBe(400);
    expect(unsupported.body).toEqual({
      errorMessages: [expect.stringContaining("'status = Done'")],
      errors: {},
    });
    expect((await errorOf(keysOf("project = OPS OR project = ENG"))).status).toBe(400);
    expect((await errorOf(keysOf(""))).body).toMatchObject({
      errorMessages: [
        "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
      ],
    });
    expect((await errorOf(keysOf("project = NOPE"))).body).toMatchObject({
      errorMessages: ["The value 'NOPE' does not exist for the field 'project'."],
    });
  });

  it("answers the removed /rest/api/3/search with 410 Gone", async () => {
    const token = emulator.mintApiToken();
    const response = await fetch(`${emulator.siteUrl}/rest/api/3/search?jql=project%20%3D%20OPS`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${token.email}:${token.apiToken}`).toString("base64")}`,
      },
    });
    expect(response.status).toBe(410);
    expect(await response.json()).toEqual({
      errorMessages: [expect.stringContaining("/rest/api/3/search/jql")],
      errors: {},
    });
  });
});

describe("parseJql", () => {
  it("reads the subset", () => {
    expect(
      parseJql("project = OPS AND issue.property[autoflow].taskKey = 'k' ORDER BY updated ASC, key DESC"),
    ).toEqual({
      clauses: [
        { kind: "project", key: "OPS" },
        { kind: "property", property: "autoflow", path: ["taskKey"], value: "k" },
      ],
      orderBy: [
        { field: "updated", direction: "ASC" },
        { field: "key", direction: "DESC" },
      ],
    });
    expect(parseJql('updated >= "2026-12-06 20:15"').clauses).toEqual([
      { kind: "time", field: "updated", op: ">=", epochMs: Date.UTC(2026, 11, 6, 20, 15) },
    ]);
  });

  it("names what it does not support", () => {
    expect(() => parseJql("assignee = currentUser()")).toThrow(JqlError);
    expect(() => parseJql("project in (OPS, ENG)")).toThrow(/project in/);
    expect(() => parseJql("updated >= yesterday")).toThrow(/Date value 'yesterday'/);
  });
});

describe("relative dates in JQL", () => {
  it('reads -1d, "-4w 2d" and 2h from the emulator\'s clock, as Jira does', () => {
    const now = Date.UTC(2026, 11, 6, 12, 0, 0);
    const epochOf = (jql: string) => {
      const [clause] = parseJql(jql, now).clauses;
      if (clause?.kind !== "time") throw new Error(`not a time clause: ${jql}`);
      return clause.epochMs;
    };
    expect(epochOf("updated >= -1d")).toBe(now - 86_400_000);
    expect(epochOf('updated >= "-4w 2d"')).toBe(now - (4 * 7 + 2) * 86_400_000);
    expect(epochOf("created < 2h")).toBe(now + 2 * 3_600_000);
    expect(() => parseJql("updated >= -1y", now)).toThrow(JqlError);
  });

  it("finds what changed in the last day through jira.js, and not what changed before", async () => {
    await jira.issues.createIssue({
      fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "Old" },
    });
    clock.advance(2 * 86_400_000);
    await jira.issues.createIssue({
      fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "New" },
    });
    clock.advance(2000);
    expect((await keysOf("project = OPS AND updated >= -1d ORDER BY updated DESC")).keys).toEqual(["OPS-2"]);
  });
});
