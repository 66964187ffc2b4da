import {
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import type { GithubEmulator } from "@autoflow/emulators";
import { Github } from "@autoflow/github";
import { afterEach, describe, expect, it } from "vitest";
import { starMilestones } from "../src/jobs/star-milestones";
import { CHANNEL, githubAsUser, REPOSITORY, startEmulators, stopAll } from "./harness";

afterEach(stopAll);

/** `login` stars the repository through the API, as they would by clicking the star. */
async function star(emulator: GithubEmulator, login: string): Promise<void> {
  if (!emulator.state.accounts.has(login)) {
    emulator.state.addAccount({ login, type: "User", name: login, email: null });
  }
  await githubAsUser(emulator, emulator.mintToken({ login }), "PUT", `/user/starred/${REPOSITORY}`);
}

async function setup() {
  const env = await startEmulators();
  const { githubEmulator, githubToken, slack } = env;
  // Shared by every "process" below: the cursor store and the task log outlive a restart.
  const cursors = new MemoryWebhookInbox();
  const store = new MemoryTaskStore();
  const runs: RunResult<unknown>[] = [];
  /** What a worker process builds when it starts: a new integration, job and dispatcher. */
  const startWorker = () => {
    const github = new Github({ id: "github", token: githubToken, baseUrl: githubEmulator.url });
    const job = starMilestones({ github, slack, repository: REPOSITORY, channel: CHANNEL, every: 3 });
    return new TriggerDispatcher({
      inbox: cursors,
      cursors,
      runner: new JobRunner({ store }),
      jobs: [job],
      onRun: (_job, result) => runs.push(result),
    });
  };
  const celebrations = () =>
    (githubEmulator.state.repo("octo-org", "hello")?.issues ?? []).filter((i) =>
      i.labels.includes("star-milestone"),
    );
  const thanks = () =>
    env.slackEmulator
      .history(CHANNEL)
      .map((m) => m.text)
      .reverse();
  return { ...env, startWorker, runs, celebrations, thanks };
}

describe("star-milestones", () => {
  it("thanks each new stargazer once, celebrates a milestone once when one poll brings several stars, and a restart repeats nothing", async () => {
    const { githubEmulator, startWorker, runs, celebrations, thanks } = await setup();
    await star(githubEmulator, "octocat");

    // The first poll only records where the list ends: the star from before starts nothing.
    const worker = startWorker();
    expect(await worker.pollOnce()).toBe(0);

    // Two stars between polls: one poll, two runs; both see 3 stars, one issue is opened.
    await star(githubEmulator, "ada");
    await star(githubEmulator, "lin");
    expect(await worker.pollOnce()).toBe(2);
    expect(runs.map((r) => (r.status === "completed" ? r.output : r.status))).toEqual([
      expect.objectContaining({ stargazer: "ada", stars: 3, milestone: 3 }),
      { stargazer: "lin", stars: 3 },
    ]);
    expect(celebrations().map((i) => i.title)).toEqual([`${REPOSITORY} reached 3 stars 🎉`]);
    expect(thanks()).toEqual([
      expect.stringMatching(/^:star: <http\S+\|ada> starred octo-org\/hello/),
      expect.stringMatching(/^:star: <http\S+\|lin> starred octo-org\/hello/),
    ]);

    // A restarted worker resumes from the stored cursor: nothing new, nothing repeated.
    const restarted = startWorker();
    expect(await restarted.pollOnce()).toBe(0);
    await star(githubEmulator, "kay");
    expect(await restarted.pollOnce()).toBe(1);
    expect(runs.at(-1)).toMatchObject({ status: "completed", output: { stargazer: "kay", stars: 4 } });
    expect(thanks()).toHaveLength(3);
    expect(celebrations()).toHaveLength(1);
  });

  it("a poll that passes two milestones at once celebrates the higher one, once", async () => {
    const { githubEmulator, startWorker, celebrations } = await setup();
    const worker = startWorker();
    expect(await worker.pollOnce()).toBe(0);
    for (const login of ["a1", "a2", "a3", "a4", "a5", "a6"]) await star(githubEmulator, login);
    expect(await worker.pollOnce()).toBe(6);

    // Six stars in one poll: every run sees 6, so 3 (passed in between) is never celebrated, only 6 once.
    expect(celebrations().map((i) => i.title)).toEqual([`${REPOSITORY} reached 6 stars 🎉`]);
  });
});
