import { JobRunner } from "@autoflow/core";
import type { GithubEmulator } from "@autoflow/emulators";
import { afterEach, describe, expect, it } from "vitest";
import { dailyDigest } from "../src/jobs/daily-digest";
import {
  CHANNEL,
  clockAhead,
  githubAsUser,
  REPOSITORY,
  sqliteTaskLog,
  startEmulators,
  stopAll,
} from "./harness";

afterEach(stopAll);

const WORKDAY = 8 * 60 * 60;
const DAY = "2026-11-23";

async function openIssue(emulator: GithubEmulator, token: string, title: string): Promise<number> {
  const issue = await githubAsUser(emulator, token, "POST", `/repos/${REPOSITORY}/issues`, { title });
  return issue.number as number;
}

type Block = { type: string; text?: { text: string } };
const blockTexts = (blocks: unknown[] | undefined) =>
  ((blocks ?? []) as Block[]).map((b) => b.text?.text ?? "");

describe("daily-digest", () => {
  it("snapshots in the morning, suspends for the workday, and the evening worker posts what opened and closed", async () => {
    const { githubEmulator, githubToken, slackEmulator, github, slack } = await startEmulators();
    const job = dailyDigest({
      github,
      slack,
      repository: REPOSITORY,
      channel: CHANNEL,
      workdaySeconds: WORKDAY,
    });
    const log = sqliteTaskLog();
    await openIssue(githubEmulator, githubToken, "Login loops on Safari");
    const typo = await openIssue(githubEmulator, githubToken, "Docs: typo in the quick start");

    const runId = `daily-digest:${DAY}`;
    const morning = await new JobRunner({ store: log.open() }).run(job, { runId, payload: { day: DAY } });
    expect(morning.status).toBe("suspended");
    expect(slackEmulator.history(CHANNEL)).toEqual([]);

    // During the day: one issue is closed, one is opened.
    await githubAsUser(githubEmulator, githubToken, "PATCH", `/repos/${REPOSITORY}/issues/${typo}`, {
      state: "closed",
    });
    const checkout = await openIssue(githubEmulator, githubToken, "Checkout answers 500 for EU cards");

    // In the evening another worker, on its own connection to the log, finds the run due.
    const evening = new JobRunner({ store: log.open(), clock: clockAhead((WORKDAY + 60) * 1000) });
    const [result] = await evening.resumeDue([job]);

    // Seeded "Found a bug", "Login loops on Safari" and the new one are open.
    expect(result).toMatchObject({
      runId,
      status: "completed",
      output: { day: DAY, opened: 1, closed: 1, stillOpen: 3 },
    });
    const [digest, ...others] = slackEmulator.history(CHANNEL);
    expect(others).toEqual([]);
    expect(digest?.text).toBe(`${REPOSITORY} on ${DAY}: 1 opened, 1 closed, 3 open`);
    const [header, summary, opened, closed, stillOpen] = blockTexts(digest?.blocks);
    expect(header).toBe(`Issues digest for ${DAY}`);
    expect(summary).toBe(digest?.text);
    expect(opened).toMatch(
      new RegExp(`^\\*Opened today \\(1\\)\\*\\n• <\\S+/issues/${checkout}\\|#${checkout}> Checkout`),
    );
    expect(closed).toContain(`#${typo}> Docs: typo in the quick start`);
    expect(stillOpen?.split("\n")).toHaveLength(4);

    // The morning snapshot was replayed from the log in the evening, not listed again.
    const listings = githubEmulator.requests.filter(
      (r) => r.method === "GET" && r.path === `/repos/${REPOSITORY}/issues`,
    );
    expect(listings).toHaveLength(2);

    // The scheduler firing the same day again reaches the same, finished run: no second digest.
    expect(await evening.run(job, { runId, payload: { day: DAY } })).toMatchObject({ status: "completed" });
    expect(slackEmulator.history(CHANNEL)).toHaveLength(1);
  });

  it("lists every page of issues and splits a long list into section blocks within Slack's limits", async () => {
    const { githubEmulator, githubToken, slackEmulator, github, slack } = await startEmulators();
    const job = dailyDigest({ github, slack, repository: REPOSITORY, channel: CHANNEL, workdaySeconds: 0 });
    const padding = "x".repeat(90);
    for (let i = 1; i <= 120; i++)
      await openIssue(githubEmulator, githubToken, `Flaky test number ${i} ${padding}`);
    await openIssue(githubEmulator, githubToken, "Render <b>bold</b> & keep <@U0001> out of mentions");

    const result = await new JobRunner().run(job, { payload: { day: DAY } });

    // 120 + 1 + the seeded issue: more than one page of 100.
    expect(result).toMatchObject({ status: "completed", output: { opened: 0, closed: 0, stillOpen: 122 } });
    const texts = blockTexts(slackEmulator.history(CHANNEL)[0]?.blocks).slice(2);
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3_000);
    const listed = texts.join("\n").match(/\|#\d+>/g) ?? [];
    expect(new Set(listed).size).toBe(122);
    expect(listed).toHaveLength(122);
    expect(texts.join("\n")).toContain(
      "Render &lt;b&gt;bold&lt;/b&gt; &amp; keep &lt;@U0001&gt; out of mentions",
    );
  });
});
