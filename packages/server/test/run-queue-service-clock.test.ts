import { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRunQueue } from "../src/queue/open-run-queue";
import {
  createTestSchema,
  TEST_DATABASE_URL,
  type TestSchema,
  warnIfNoPostgres,
} from "./postgres-test-schema";

// A service run on an injected clock (tests, replays) reads a suspended run's `resumeAt` on that clock. The run
// queue must hold the run for that long from now, whatever the wall clock says: read on the wall clock, a clock
// in the past makes every suspended run due at once, so the run executes, suspends again, and spins.
const SERVICE_NOW = Date.UTC(2026, 0, 1);
const HOUR = 60 * 60 * 1000;
const worker = { concurrency: 1, queueSchema: "pgboss", heartbeatSeconds: 30 };

describe("the in-process run queue on the service's clock", () => {
  it("holds a suspended run until its resumeAt on the service's clock, though the wall clock is past it", async () => {
    const queue = await openRunQueue({ kind: "sqlite", worker, now: () => SERVICE_NOW });
    const started: string[] = [];
    await queue.work(async (runId) => {
      started.push(runId);
      return { status: "completed" };
    });
    await queue.enqueue("suspended-run", { notBefore: new Date(SERVICE_NOW + HOUR) });
    await queue.enqueue("ready-run");
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["ready-run"]);
    await queue.close();
  });
});

warnIfNoPostgres("run queue clock");
describe.skipIf(!TEST_DATABASE_URL)("the pg-boss run queue on the service's clock", () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(async () => {
    await schema?.drop();
  });

  it("schedules a suspended run that far from now on the database's clock", async () => {
    const queue = await openRunQueue({
      kind: "postgres",
      databaseUrl: TEST_DATABASE_URL,
      worker: { ...worker, queueSchema: schema.queueSchema },
      now: () => SERVICE_NOW,
    });
    const before = Date.now();
    try {
      await queue.enqueue("suspended-run", { notBefore: new Date(SERVICE_NOW + HOUR) });
    } finally {
      await queue.close();
    }
    const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    try {
      const { rows } = await pool.query<{ start_after: Date }>(
        `SELECT start_after FROM ${schema.queueSchema}.job WHERE data->>'runId' = $1`,
        ["suspended-run"],
      );
      expect(rows).toHaveLength(1);
      const startAfter = rows[0]?.start_after.getTime() ?? 0;
      // An hour from when it was queued (a margin for a loaded machine), not 2026-01-01 plus an hour.
      expect(startAfter).toBeGreaterThanOrEqual(before + HOUR - 1_000);
      expect(startAfter).toBeLessThan(Date.now() + HOUR + 60_000);
    } finally {
      await pool.end();
    }
  });
});
