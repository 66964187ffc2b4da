import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { createTestClock } from "../testing/test-clock";
import { consoleReporter, type ReporterStream } from "./console-reporter";
import { defineJob } from "./job";
import { JobRunner } from "./runner";

/** A stream that records what was written, as a terminal (`isTTY`) or as a pipe. */
function fakeStream(tty: boolean, size: { columns?: number; rows?: number } = {}) {
  const writes: string[] = [];
  const stream: ReporterStream & { writes: string[] } = {
    writes,
    isTTY: tty,
    ...size,
    write: (text: string) => writes.push(text),
  };
  return stream;
}

/**
 * The screen a terminal shows after `output`: the few escapes the reporter uses (cursor up/down, carriage
 * return, clear line) applied to a grid of lines.
 */
function screen(output: string): string[] {
  const rows: string[] = [""];
  let row = 0;
  let col = 0;
  for (let i = 0; i < output.length; i++) {
    const char = output[i] as string;
    if (char === "\x1b") {
      // After the escape character: `[`, a count, a command letter.
      const match = /^\[(\d*)([A-Za-z])/.exec(output.slice(i + 1));
      if (!match) throw new Error(`unknown escape at ${i}`);
      const n = Number(match[1] || 1);
      if (match[2] === "A") row = Math.max(0, row - n);
      else if (match[2] === "B") row += n;
      else if (match[2] === "K") rows[row] = "";
      else if (match[2] !== "m") throw new Error(`unexpected escape ${match[0]}`);
      i += match[0].length;
      continue;
    }
    if (char === "\n") {
      row++;
      col = 0;
    } else if (char === "\r") col = 0;
    else {
      const line = (rows[row] ?? "").padEnd(col, " ");
      rows[row] = line.slice(0, col) + char + line.slice(col + 1);
      col++;
    }
    while (rows.length <= row) rows.push("");
  }
  return rows.filter((line, index) => line !== "" || index < rows.length - 1);
}

const flaky = () => {
  let calls = 0;
  return defineJob({
    id: "notify",
    run: async (_payload, io) => {
      io.logger.info("about to post");
      await io.runTask(
        "post",
        async () => {
          calls++;
          if (calls === 1) {
            throw new IntegrationError({ type: "rate-limit", provider: "acme", message: "slow down" });
          }
          return { ok: true };
        },
        {
          name: "Post Message",
          icon: "acme",
          retry: { limit: 3, minTimeoutInMs: 1_500, factor: 1 },
          properties: [{ label: "Channel", text: "#ops" }],
        },
      );
      io.logger.warn("posted, with a warning");
      await io.runTask(
        "fail",
        async () => {
          throw new IntegrationError({ type: "schema", provider: "acme", message: "channel_not_found" });
        },
        { name: "Archive", icon: "acme" },
      );
    },
  });
};

async function runWith(stream: ReporterStream, options: { properties?: boolean } = {}) {
  const clock = createTestClock(Date.UTC(2026, 0, 1));
  const reporter = consoleReporter({ stream, now: clock.now, ...options });
  const runner = new JobRunner({ clock, random: () => 1, onEvent: reporter, logger: false });
  const result = await runner.run(flaky(), { runId: "run-1" });
  return { result, reporter };
}

describe("consoleReporter", () => {
  it("on a TTY, keeps one line per task and redraws it in place as the task moves on", async () => {
    const stream = fakeStream(true, { columns: 200, rows: 50 });
    const { reporter } = await runWith(stream);
    const output = stream.writes.join("");
    expect(output).toContain("\x1b[32m"); // coloured on a terminal
    expect(screen(output)).toEqual([
      "▶ starting run run-1 (notify)",
      "  · about to post",
      "  ✔ [acme] Post Message (post)  attempt 2 · 0 ms",
      "  · warn: posted, with a warning",
      "  ✖ [acme] Archive (fail)  attempt 1 · schema: channel_not_found",
      '✖ run run-1 (notify) failed at "fail" (schema) in 1.5 s',
    ]);
    // The retry was shown on the task's line before it was redrawn.
    expect(output).toContain("rate-limit: slow down");
    expect(output).toContain("retry in 1.5 s");
    expect(reporter.summary).toEqual({ completed: 1, replayed: 0, retries: 1, failed: 1 });
  });

  it("cuts live lines to the terminal's width, so a wrapped line never breaks the redraw", async () => {
    const stream = fakeStream(true, { columns: 30 });
    await runWith(stream);
    for (const line of screen(stream.writes.join(""))) expect([...line].length).toBeLessThan(30);
  });

  it("when not a TTY, prints each outcome once as a plain line, never rewriting one", async () => {
    const stream = fakeStream(false);
    await runWith(stream, { properties: true });
    const output = stream.writes.join("");
    expect(output).not.toContain("\x1b");
    expect(output.split("\n")).toEqual([
      "▶ starting run run-1 (notify)",
      "  · about to post",
      "  ⟳ [acme] Post Message (post)  attempt 1 · rate-limit: slow down · retry in 1.5 s",
      "  ✔ [acme] Post Message (post)  attempt 2 · 0 ms",
      "      Channel: #ops",
      "  · warn: posted, with a warning",
      "  ✖ [acme] Archive (fail)  attempt 1 · schema: channel_not_found",
      '✖ run run-1 (notify) failed at "fail" (schema) in 1.5 s',
      "",
    ]);
  });

  it("prints nothing in quiet mode, and replays read as replays", async () => {
    const quiet = fakeStream(true);
    const clock = createTestClock();
    const job = defineJob({ id: "j", run: async (_p, io) => io.runTask("a", async () => 1) });
    const runner = new JobRunner({ clock, onEvent: consoleReporter({ stream: quiet, mode: "quiet" }) });
    await runner.run(job, { runId: "r" });
    expect(quiet.writes).toEqual([]);

    // A second execution of an interrupted run replays what the log holds.
    const plain = fakeStream(false);
    const store = runner.store;
    const loaded = await store.loadRun("r");
    if (!loaded) throw new Error("run not stored");
    await store.saveRun({ ...loaded.run, status: "running" });
    await new JobRunner({ store, clock, onEvent: consoleReporter({ stream: plain }) }).run(job, {
      runId: "r",
    });
    expect(plain.writes.join("")).toContain(
      "↻ resuming run r (j)\n  ↺ a (a)  replayed from the task log, not called again\n",
    );
  });
});
