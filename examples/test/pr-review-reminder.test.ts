import {
  JobRunner,
  MemoryWebhookInbox,
  type RunEvent,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import { afterEach, describe, expect, it } from "vitest";
import { prReviewReminder } from "../src/jobs/pr-review-reminder";
import {
  CHANNEL,
  clockAhead,
  githubAsUser,
  githubWebhooksTo,
  REPOSITORY,
  sqliteTaskLog,
  startEmulators,
  stopAll,
} from "./harness";

afterEach(stopAll);

const HOUR = 3_600;

/**
 * GitHub delivers `pull_request.opened` to the intake; a first worker runs the job until its hour-long
 * wait suspends the run; a second worker, started on the same SQLite task log an hour later, resumes it.
 */
async function openPullRequestAndRunUntilTheWait() {
  const env = await startEmulators();
  const { githubEmulator, githubToken, github, slack } = env;
  const inbox = new MemoryWebhookInbox();
  await githubWebhooksTo(inbox, githubEmulator, githubToken, ["pull_request"]);
  const job = prReviewReminder({
    github,
    slack,
    repository: REPOSITORY,
    channel: CHANNEL,
    remindAfterSeconds: HOUR,
  });
  const log = sqliteTaskLog();

  const pr = await githubAsUser(githubEmulator, githubToken, "POST", `/repos/${REPOSITORY}/pulls`, {
    title: "Retry payments on 502",
    head: "feature",
    base: "main",
  });
  await githubEmulator.awaitDeliveries();

  const first: RunResult<unknown>[] = [];
  const firstWorker = new JobRunner({ store: log.open() });
  await new TriggerDispatcher({
    inbox,
    runner: firstWorker,
    jobs: [job],
    onRun: (_j, r) => first.push(r),
  }).dispatchPending();
  return { ...env, job, log, inbox, pr, first };
}

describe("pr-review-reminder", () => {
  it("asks for a review, suspends for the review window, and a restarted worker nudges once in the same thread", async () => {
    const { slackEmulator, job, log, first, pr } = await openPullRequestAndRunUntilTheWait();

    // The run is parked in the log, not sleeping in a process; only the first message is out.
    expect(first.map((r) => r.status)).toEqual(["suspended"]);
    const [ask, ...others] = slackEmulator.history(CHANNEL);
    expect(others).toEqual([]);
    expect(ask?.text).toContain(`#${pr.number} Retry payments on 502`);
    expect(ask?.reply_count).toBeUndefined();

    // An hour later another worker process (a new connection to the log) finds the run due.
    const events: RunEvent[] = [];
    const later = new JobRunner({
      store: log.open(),
      clock: clockAhead((HOUR + 60) * 1000),
      onEvent: (e) => events.push(e),
    });
    const resumed = await later.resumeDue([job]);

    expect(resumed).toEqual([
      expect.objectContaining({
        status: "completed",
        output: { pullRequest: pr.html_url, reminded: true, state: "open" },
      }),
    ]);
    // The ask was replayed from the log, not posted again; the reminder went to its thread.
    const replayed = events.flatMap((e) => (e.type === "task.replayed" ? [e.task.id] : []));
    expect(replayed).toEqual(["ask-for-review"]);
    expect(slackEmulator.history(CHANNEL).map((m) => m.ts)).toEqual([ask?.ts]);
    const thread = slackEmulator.workspace.thread(CHANNEL, ask?.ts ?? "");
    expect(thread.filter((m) => m.ts !== ask?.ts).map((m) => m.text)).toEqual([
      expect.stringContaining("still waiting for a review"),
    ]);

    // Resuming again (a second worker racing, a redelivered webhook) returns the finished run: nothing is posted.
    expect(await later.resumeDue([job])).toEqual([]);
    expect(slackEmulator.workspace.thread(CHANNEL, ask?.ts ?? "")).toHaveLength(2);
  });

  it("sends no reminder when the pull request was merged during the wait", async () => {
    const { githubEmulator, githubToken, slackEmulator, job, log, pr } =
      await openPullRequestAndRunUntilTheWait();
    await githubAsUser(
      githubEmulator,
      githubToken,
      "PUT",
      `/repos/${REPOSITORY}/pulls/${pr.number}/merge`,
      {},
    );

    const resumed = await new JobRunner({
      store: log.open(),
      clock: clockAhead((HOUR + 60) * 1000),
    }).resumeDue([job]);

    expect(resumed).toEqual([
      expect.objectContaining({
        status: "completed",
        output: { pullRequest: pr.html_url, reminded: false, state: "closed" },
      }),
    ]);
    const [ask] = slackEmulator.history(CHANNEL);
    expect(slackEmulator.workspace.thread(CHANNEL, ask?.ts ?? "")).toHaveLength(1);
  });

  it("asks nothing for a draft pull request", async () => {
    const { githubEmulator, githubToken, slackEmulator, github, slack } = await startEmulators();
    const inbox = new MemoryWebhookInbox();
    await githubWebhooksTo(inbox, githubEmulator, githubToken, ["pull_request"]);
    const job = prReviewReminder({ github, slack, repository: REPOSITORY, channel: CHANNEL });
    await githubAsUser(githubEmulator, githubToken, "POST", `/repos/${REPOSITORY}/pulls`, {
      title: "WIP: new checkout",
      head: "feature",
      base: "main",
      draft: true,
    });
    await githubEmulator.awaitDeliveries();
    const runs: RunResult<unknown>[] = [];
    await new TriggerDispatcher({
      inbox,
      runner: new JobRunner(),
      jobs: [job],
      onRun: (_j, r) => runs.push(r),
    }).dispatchPending();

    expect(runs).toEqual([
      expect.objectContaining({
        status: "completed",
        output: expect.objectContaining({ reminded: false, state: "draft" }),
      }),
    ]);
    expect(slackEmulator.history(CHANNEL)).toEqual([]);
  });

  it("a redelivered pull_request.opened starts no second run and posts nothing more", async () => {
    const { githubEmulator, slackEmulator, inbox, job, log } = await openPullRequestAndRunUntilTheWait();
    const delivery = githubEmulator.deliveries.find(
      (d) => d.event === "pull_request" && d.action === "opened",
    );
    const retries = await githubEmulator.redeliver(delivery?.id ?? "", 2);
    await githubEmulator.awaitDeliveries();

    expect(retries.map((r) => r.status)).toEqual([200, 200]);
    expect(
      await new TriggerDispatcher({
        inbox,
        runner: new JobRunner({ store: log.open() }),
        jobs: [job],
      }).dispatchPending(),
    ).toBe(0);
    expect(slackEmulator.history(CHANNEL)).toHaveLength(1);
  });
});
