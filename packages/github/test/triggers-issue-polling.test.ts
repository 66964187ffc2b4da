import { defineJob, JobRunner, MemoryTaskStore, MemoryWebhookInbox, TriggerDispatcher } from "@autoflow/core";
import { GithubEmulator, ManualClock } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Github } from "../src/index";

// github.onIssueUpdated polls issues.listForRepo with `since` on an emulator whose `since` listing shows an
// edited issue only two minutes after the edit: the overlap window must catch it.
const clock = new ManualClock(Date.UTC(2026, 3, 1, 9));
const emulator = new GithubEmulator({ clock, sinceListingLagMs: 120_000 });
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken({ scopes: ["repo"] });
});
afterAll(() => emulator.stop());

async function api(method: string, path: string, body?: unknown): Promise<{ number: number }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { number: number };
}
const open = (title: string) => api("POST", "/repos/octo-org/hello/issues", { title });
const edit = (number: number, title: string) =>
  api("PATCH", `/repos/octo-org/hello/issues/${number}`, { title });

describe("github.onIssueUpdated", () => {
  const cursors = new MemoryWebhookInbox();
  const store = new MemoryTaskStore();
  const seen: string[] = [];
  // A new integration, trigger, job and dispatcher each time: a restart; a new job id: a redeploy.
  const dispatcher = (jobId = "on-issue-updated") => {
    const github = new Github({ id: "github", token, baseUrl: emulator.url });
    const job = defineJob({
      id: jobId,
      trigger: github.onIssueUpdated({ owner: "octo-org", repo: "hello", overlapMs: 5 * 60_000 }),
      run: async (issue) => {
        seen.push(`${issue.number}:${issue.title}`);
      },
    });
    return new TriggerDispatcher({ inbox: cursors, cursors, runner: new JobRunner({ store }), jobs: [job] });
  };

  it("fires nothing historic, then each issue and edit once: same second, late, restart and redeploy", async () => {
    const before = await open("historic");
    expect(await dispatcher().pollOnce()).toBe(0);

    clock.advance(1_000);
    // Three in the same second.
    const a = await open("a");
    const b = await open("b");
    const c = await open("c");
    expect(await dispatcher().pollOnce()).toBe(3);

    clock.advance(1_000);
    await edit(before.number, "historic, edited");
    clock.advance(1_000);
    const d = await open("d");
    // The edit lists late: only "d" now, and the watermark moves past the edit.
    expect(await dispatcher().pollOnce()).toBe(1);
    clock.advance(120_000);
    // A redeploy (another job id) keeps the cursor: the edit, and nothing again.
    expect(await dispatcher("on-issue-updated-v2").pollOnce()).toBe(1);
    clock.advance(60_000);
    expect(await dispatcher().pollOnce()).toBe(0);
    expect(seen).toEqual([
      `${a.number}:a`,
      `${b.number}:b`,
      `${c.number}:c`,
      `${d.number}:d`,
      `${before.number}:historic, edited`,
    ]);
  });
});
