// Child process for the two-process SQLite test: waits for "go" on stdin so both writers start together,
// then opens the shared file (racing the other writer through migrations) and writes its tasks one by one.
import { createInterface } from "node:readline";
import { SqliteTaskStore } from "../../src/runtime/sqlite-task-store";

const [path, runId, prefix, countText] = process.argv.slice(2);
if (path === undefined || runId === undefined || prefix === undefined || countText === undefined) {
  throw new Error("usage: sqlite-writer <path> <runId> <prefix> <count>");
}
const count = Number(countText);

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) {
  if (line === "go") break;
}
lines.close();

const store = new SqliteTaskStore({ path });
const now = new Date().toISOString();
await store.saveRun({ id: runId, jobId: "two-writers", status: "running", createdAt: now, updatedAt: now });
for (let i = 0; i < count; i++) {
  await store.saveTask({
    runId,
    id: `${prefix}-${i}`,
    key: `${prefix}-${i}`,
    idempotencyKey: `${runId}:${prefix}-${i}`,
    name: "writer.step",
    status: "completed",
    params: { prefix, i },
    attempts: 1,
    startedAt: new Date().toISOString(),
    sequence: i,
  });
}
await store.close();
process.stdout.write("done\n");
