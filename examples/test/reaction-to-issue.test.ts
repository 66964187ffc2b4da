import {
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import { afterEach, describe, expect, it } from "vitest";
import { reactionToIssue } from "../src/jobs/reaction-to-issue";
import { CHANNEL, REPOSITORY, slackEventsTo, startEmulators, stopAll } from "./harness";

afterEach(stopAll);

/** Slack's Events API delivers to the intake; the dispatcher runs the job for what matched. */
async function setup() {
  const env = await startEmulators();
  const { slackEmulator, github, slack } = env;
  const inbox = new MemoryWebhookInbox();
  await slackEventsTo(inbox, slackEmulator);
  const store = new MemoryTaskStore();
  const runs: RunResult<unknown>[] = [];
  const dispatcher = new TriggerDispatcher({
    inbox,
    runner: new JobRunner({ store }),
    jobs: [reactionToIssue({ github, slack, repository: REPOSITORY, channel: CHANNEL })],
    onRun: (_job, result) => runs.push(result),
  });
  /** Every event delivered (the job's own reply and ✅ too), then every matching run finished. */
  const deliverAndRun = async () => {
    await slackEmulator.awaitEvents();
    await dispatcher.dispatchPending();
  };
  // The seeded repository has an issue of its own ("Found a bug"): count only what the job filed.
  const issues = () =>
    (env.githubEmulator.state.repo("octo-org", "hello")?.issues ?? []).filter((i) =>
      i.labels.includes("from-slack"),
    );
  return { ...env, store, runs, deliverAndRun, issues };
}

const REPORT = "Checkout returns 500 for EU cards\nSeen three times since 9:00, all with 3-D Secure.";

describe("reaction-to-issue", () => {
  it("files a :ticket:'d message as an issue with its text and a link back, and answers in its thread", async () => {
    const { slackEmulator, runs, deliverAndRun, issues } = await setup();
    const said = slackEmulator.userSays(CHANNEL, REPORT, "U0002");
    slackEmulator.userReacts(CHANNEL, said.ts, "eyes", "U0003");
    slackEmulator.userReacts(CHANNEL, said.ts, "ticket", "U0003");
    await deliverAndRun();

    // One run: the :eyes: reaction, the app's own ✅ and its thread reply started none.
    expect(runs).toEqual([
      expect.objectContaining({ status: "completed", output: expect.objectContaining({ filed: true }) }),
    ]);
    const [issue, ...more] = issues();
    expect(more).toEqual([]);
    expect(issue?.title).toBe("Checkout returns 500 for EU cards");
    expect(issue?.body).toContain("all with 3-D Secure");
    expect(issue?.body).toMatch(
      new RegExp(`Filed from Slack by <@U0003>: https://\\S+/archives/${CHANNEL}/p\\d+`),
    );
    expect(issue?.labels).toEqual(["from-slack"]);

    const replies = slackEmulator.workspace.thread(CHANNEL, said.ts).filter((m) => m.ts !== said.ts);
    expect(replies.map((m) => m.text)).toEqual([
      `:ticket: Filed as <${(runs[0] as { output: { issue: string } }).output.issue}|${REPOSITORY}#${issue?.number}>`,
    ]);
    expect(slackEmulator.workspace.findMessage(CHANNEL, said.ts)?.reactions?.map((r) => r.name)).toEqual([
      "eyes",
      "ticket",
      "white_check_mark",
    ]);
  });

  it("a second person's :ticket: on the same message files nothing more", async () => {
    const { slackEmulator, runs, deliverAndRun, issues } = await setup();
    const said = slackEmulator.userSays(CHANNEL, REPORT, "U0002");
    slackEmulator.userReacts(CHANNEL, said.ts, "ticket", "U0003");
    await deliverAndRun();
    slackEmulator.userReacts(CHANNEL, said.ts, "ticket", "U0001");
    await deliverAndRun();

    expect(runs.map((r) => (r.status === "completed" ? r.output : r.status))).toEqual([
      expect.objectContaining({ filed: true }),
      { filed: false, reason: "already filed" },
    ]);
    expect(issues()).toHaveLength(1);
    expect(slackEmulator.workspace.thread(CHANNEL, said.ts)).toHaveLength(2);
  });

  it("files nothing for a reply inside a thread, rather than the message before it", async () => {
    const { slackEmulator, runs, deliverAndRun, issues } = await setup();
    const said = slackEmulator.userSays(CHANNEL, REPORT, "U0002");
    // A person's reply in the thread (the emulator has no "user replies" helper: set up in its state).
    const reply = {
      type: "message" as const,
      ts: slackEmulator.workspace.nextTs(),
      user: "U0003",
      text: "Same here",
      team: "T01ACME000",
      thread_ts: said.ts,
    };
    slackEmulator.workspace.messagesIn(CHANNEL).push(reply);
    slackEmulator.userReacts(CHANNEL, reply.ts, "ticket", "U0001");
    await deliverAndRun();

    expect(runs.map((r) => (r.status === "completed" ? r.output : r.status))).toEqual([
      { filed: false, reason: "not a top-level message" },
    ]);
    expect(issues()).toEqual([]);
    expect(slackEmulator.workspace.findMessage(CHANNEL, reply.ts)?.reactions?.map((r) => r.name)).toEqual([
      "ticket",
    ]);
  });

  it("retries the issue creation through GitHub's 502 and files it once", async () => {
    const { githubEmulator, slackEmulator, store, runs, deliverAndRun, issues } = await setup();
    githubEmulator.server.faults.failNext(
      1,
      { status: 502, headers: { "content-type": "text/html" }, body: "<h1>502 Bad Gateway</h1>" },
      { method: "POST", path: "/repos/octo-org/hello/issues" },
    );
    const said = slackEmulator.userSays(CHANNEL, REPORT, "U0002");
    slackEmulator.userReacts(CHANNEL, said.ts, "ticket", "U0003");
    await deliverAndRun();

    expect(runs.map((r) => r.status)).toEqual(["completed"]);
    expect(issues()).toHaveLength(1);
    const tasks = (await store.loadRun(runs[0]?.runId ?? ""))?.tasks ?? [];
    expect(tasks.find((t) => t.id === "file-issue")).toMatchObject({ status: "completed", attempts: 2 });
    expect(tasks.filter((t) => t.id !== "file-issue").every((t) => t.attempts === 1)).toBe(true);
  });
});
