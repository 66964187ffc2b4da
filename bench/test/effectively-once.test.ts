import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { measureEffectivelyOnce } from "../src/effectively-once";

// CI's sample of the "Effectively once" bench section (the full one is `pnpm bench -- --only=effectively-once`):
// 5 trials per write task with the answer lost after the provider handled it, and 5 SIGKILLed three-step runs
// per store (SQLite; PostgreSQL when AUTOFLOW_TEST_DATABASE_URL reaches one), resumed by a second worker process.
// Every random choice comes from a fixed seed. Target: no declared task duplicated or lost its side effect.
const tmpDir = mkdtempSync(join(tmpdir(), "autoflow-effectively-once-"));
afterAll(() => rmSync(tmpDir, { recursive: true, force: true }));

it("declared tasks neither duplicate nor lose a side effect when answers are lost or workers die", async () => {
  const { rows, notMeasured } = await measureEffectivelyOnce({
    lostAnswerTrials: 5,
    crashTrials: 5,
    tmpDir,
    log: () => {},
    ...(process.env.AUTOFLOW_TEST_DATABASE_URL === undefined && { stores: ["sqlite"] }),
  });
  expect(notMeasured).toEqual([]);
  const declared = rows.filter((r) => r.idempotency !== "none");
  for (const row of declared) {
    expect({ task: row.task, store: row.store, duplicated: row.duplicated, lost: row.lost }).toEqual({
      task: row.task,
      store: row.store,
      duplicated: 0,
      lost: 0,
    });
    expect(row.completed).toBe(row.trials);
  }
  expect(rows.filter((r) => r.part === "worker killed").map((r) => r.store)).toContain("SQLite");
  // The control: an undeclared write whose answer is lost fails visibly, done once, never repeated.
  const undeclared = rows.find((r) => r.idempotency === "none");
  expect(undeclared).toMatchObject({ seen: undeclared?.trials, duplicated: 0, completed: 0 });
  // A margin, not a measure: 25 s alone; 155 s once in CI beside the server's suites, with five providers.
}, 420_000);
