import { createCloudClient, isApiError } from "jira.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { JiraEmulator, ManualClock } from "../src/index";

const START = Date.UTC(2026, 11, 6, 20, 0, 0);
const clock = new ManualClock(START);
const emulator = new JiraEmulator({ clock });
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

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isApiError(error)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return { status: error.status, body: error.body };
};

const task = (summary: string, extra: Record<string, unknown> = {}) =>
  jira.issues.createIssue({
    fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary, ...extra },
  });

describe("the Jira emulator's issues", () => {
  it("numbers keys per project, stamps created/updated as Jira writes them, and keeps ids numeric", async () => {
    const first = await task("a");
    const eng = await jira.issues.createIssue({
      fields: { project: { key: "ENG" }, issuetype: { id: "10002" }, summary: "b" },
    });
    const second = await task("c");
    expect([first.key, eng.key, second.key]).toEqual(["OPS-1", "ENG-1", "OPS-2"]);
    expect(first.id).toMatch(/^\d+$/);
    const issue = await jira.issues.getIssue({ issueIdOrKey: first.id as string });
    expect(issue.key).toBe("OPS-1");
    expect(issue.fields?.created).toBe("2026-12-06T20:00:00.000+0000");
    expect(issue.fields?.status?.name).toBe("To Do");
    clock.advance(1500);
    await jira.issues.editIssue({ issueIdOrKey: "ops-1", fields: { summary: "a2" } });
    expect((await jira.issues.getIssue({ issueIdOrKey: "OPS-1" })).fields?.updated).toBe(
      "2026-12-06T20:00:01.500+0000",
    );
  });

  it("refuses what Jira refuses, field by field", async () => {
    expect(await failure(task(""))).toMatchObject({
      status: 400,
      body: { errors: { summary: expect.any(String) } },
    });
    expect(
      await failure(
        jira.issues.createIssue({
          fields: { project: { key: "NOPE" }, issuetype: { name: "Task" }, summary: "x" },
        }),
      ),
    ).toMatchObject({ status: 400, body: { errorMessages: [], errors: { project: expect.any(String) } } });
    await task("a");
    // API v3 takes rich text as a document only (jira.js's editIssue always calls v3).
    expect(
      await failure(jira.issues.editIssue({ issueIdOrKey: "OPS-1", fields: { description: "plain" } })),
    ).toMatchObject({ status: 400, body: { errors: { description: expect.any(String) } } });
    expect(await failure(jira.issues.getIssue({ issueIdOrKey: "OPS-99" }))).toMatchObject({
      status: 404,
      body: { errorMessages: ["Issue does not exist or you do not have permission to see it."] },
    });
    expect(
      await failure(jira.issues.doTransition({ issueIdOrKey: "OPS-1", transition: { id: "99" } })),
    ).toMatchObject({ status: 400 });
    expect(
      await failure(jira.issueProperties.getIssueProperty({ issueIdOrKey: "OPS-1", propertyKey: "missing" })),
    ).toMatchObject({ status: 404 });
  });

  it("assigns, transitions, links and keeps properties, as reads show at once", async () => {
    await task("a");
    await task("b");
    const [grace] = await jira.userSearch.findUsers({ query: "grace" });
    await jira.issues.assignIssue({ issueIdOrKey: "OPS-1", accountId: grace?.accountId as string });
    await jira.issues.doTransition({ issueIdOrKey: "OPS-1", transition: { id: "21" } });
    await jira.issueProperties.setIssueProperty({
      issueIdOrKey: "OPS-1",
      propertyKey: "autoflow",
      body: { n: 1 },
    });
    await jira.issueLinks.linkIssues({
      type: { name: "Blocks" },
      inwardIssue: { key: "OPS-2" },
      outwardIssue: { key: "OPS-1" },
    });
    const issue = await jira.issues.getIssue({ issueIdOrKey: "OPS-1", properties: ["autoflow"] });
    expect(issue.fields?.assignee?.displayName).toBe("Grace Hopper");
    expect(issue.fields?.status?.name).toBe("In Progress");
    expect(issue.properties).toEqual({ autoflow: { n: 1 } });
    expect(issue.fields?.issuelinks).toEqual([
      expect.objectContaining({
        type: expect.objectContaining({ name: "Blocks" }),
        inwardIssue: expect.objectContaining({ key: "OPS-2" }),
      }),
    ]);
    await jira.issues.assignIssue({ issueIdOrKey: "OPS-1", accountId: null as unknown as string });
    expect((await jira.issues.getIssue({ issueIdOrKey: "OPS-1" })).fields?.assignee).toBeNull();
    await jira.issues.deleteIssue({ issueIdOrKey: "OPS-2" });
    expect((await jira.issues.getIssue({ issueIdOrKey: "OPS-1" })).fields?.issuelinks).toEqual([]);
  });

  it("reset() puts the seeded site back: issues gone, keys start again at 1, tokens still work", async () => {
    await task("a");
    await emulator.reset();
    expect(await failure(jira.issues.getIssue({ issueIdOrKey: "OPS-1" }))).toMatchObject({ status: 404 });
    expect((await task("again")).key).toBe("OPS-1");
    expect((await jira.projects.searchProjects()).values?.map((p) => p.key)).toEqual(["OPS", "ENG"]);
  });
});

describe("comment properties", () => {
  it("keeps the properties a comment is created with, and answers them only with expand=properties", async () => {
    const emulator = new JiraEmulator();
    await emulator.start();
    try {
      const { apiToken, email, siteUrl } = emulator.mintApiToken();
      const site = createCloudClient({ host: siteUrl, auth: { type: "basic", email, apiToken } });
      const issue = emulator.createIssue("Commented");
      const created = await site.issueComments.addComment({
        issueIdOrKey: issue.key,
        body: { type: "doc", version: 1, content: [] },
        properties: [{ key: "autoflow", value: { marker: "m-1" } }],
      });
      const plain = await site.issueComments.getComments({ issueIdOrKey: issue.key });
      expect(plain.comments?.[0]?.properties).toBeUndefined();
      const expanded = await site.issueComments.getComments({
        issueIdOrKey: issue.key,
        expand: "properties",
      });
      expect(expanded.comments?.[0]?.properties).toEqual([{ key: "autoflow", value: { marker: "m-1" } }]);
      const one = await site.issueComments.getComment({
        issueIdOrKey: issue.key,
        id: created.id ?? "",
        expand: "properties",
      });
      expect(one.properties).toEqual([{ key: "autoflow", value: { marker: "m-1" } }]);
    } finally {
      await emulator.stop();
    }
  });
});
