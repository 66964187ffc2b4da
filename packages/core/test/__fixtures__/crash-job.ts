// Runs a four-task job on a SQLite task log; with CRASH_AFTER_TASK=2 the process exits right after task 2.
import { appendFileSync } from "node:fs";
import { defineJob, JobRunner } from "../../src/index";
import { SqliteTaskStore } from "../../src/sqlite";

const [dbPath, sideEffectLog, runId] = process.argv.slice(2);
if (!dbPath || !sideEffectLog || !runId) throw new Error("usage: crash-job <db> <side-effect-log> <run-id>");
const crashAfter = Number(process.env.CRASH_AFTER_TASK ?? "0");

const job = defineJob({
  id: "four-steps",
  run: async (payload: { orderId: string }, io) => {
    const results: string[] = [];
    for (const [index, step] of ["reserve", "charge", "ship", "notify"].entries()) {
      results.push(
        await io.runTask(step, async (task) => {
          // The side effect: what a real provider call would do, logged so the test can count it.
          appendFileSync(sideEffectLog, `${step} ${task.idempotencyKey}\n`);
          return `${step}:${payload.orderId}`;
        }),
      );
      if (index + 1 === crashAfter) process.exit(86);
    }
    return results;
  },
});

const store = new SqliteTaskStore({ path: dbPath });
const result = await new JobRunner({ store }).run(job, { runId, payload: { orderId: "o-1" } });
await store.close();
process.stdout.write(JSON.stringify(result));
