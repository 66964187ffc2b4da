import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJob, slackFor } from "./helpers";

// Web API methods the emulator has no stateful route for: it answers them from Slack's own description
// (`x-emulator-fallback: spec`), so a job calling any described method runs offline.
const emulator = new SlackEmulator();
let token: string;

beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());

describe("Slack passthrough methods without a stateful route, offline", () => {
  it("runs a job calling five of them, each answer of the described shape", async () => {
    const { result, tasks, output } = await runJob(slackFor(emulator, token), async (io) => ({
      pinned: await io.slack.pins.add("pin", { channel: "C01GENERAL", timestamp: "1700000000.000100" }),
      pins: await io.slack.pins.list("pins", { channel: "C01GENERAL" }),
      team: await io.slack.team.info("team"),
      emoji: await io.slack.emoji.list("emoji"),
      reminder: await io.slack.reminders.add("remind", { text: "Stand-up", time: "in 5 minutes" }),
    }));
    expect(result.status, JSON.stringify(result)).toBe("completed");
    expect(output?.pinned.ok).toBe(true);
    expect(output?.team.team).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    expect(output?.emoji.ok).toBe(true);
    expect(output?.reminder.reminder).toMatchObject({ id: expect.any(String), text: expect.any(String) });
    expect(output?.pins).toMatchObject({ ok: true, items: expect.any(Array) });
    expect(tasks.map((t) => [t.name, t.status])).toEqual([
      ["pins.add", "completed"],
      ["pins.list", "completed"],
      ["team.info", "completed"],
      ["emoji.list", "completed"],
      ["reminders.add", "completed"],
    ]);
    const answered = emulator.requests.filter((r) => r.responseHeaders?.["x-emulator-fallback"] === "spec");
    expect(answered.map((r) => r.operation)).toEqual([
      "POST /pins.add",
      "GET /pins.list",
      "GET /team.info",
      "GET /emoji.list",
      "POST /reminders.add",
    ]);
    expect(emulator.requestViolations).toEqual([]);
  });

  it("an argument of the wrong type is Slack's invalid_arguments naming it: a schema error, not retried", async () => {
    const { result, tasks } = await runJob(slackFor(emulator, token), (io) =>
      io.slack.users.conversations("conversations", { limit: "many" as unknown as number }),
    );
    expect(result).toMatchObject({ status: "failed", error: { type: "schema", code: "invalid_arguments" } });
    expect(tasks[0]?.attempts).toBe(1);
    expect(emulator.requestViolations.at(-1)).toMatchObject({
      operation: "GET /users.conversations",
      field: "limit",
      code: "invalid",
    });
  });
});
