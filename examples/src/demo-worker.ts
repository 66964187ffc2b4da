// The demo's worker process: runs the job on the shared SQLite task log and dies abruptly right
// after the task named by DEMO_CRASH_AFTER completes, as a deploy or an OOM kill would.
import { styleText } from "node:util";
import { JobRunner } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { type DemoTarget, demoJob } from "./demo-target";
import { ProgressDisplay } from "./progress";

const { target, db, runId, payload, crashAfter } = JSON.parse(process.env.DEMO_WORKER ?? "{}") as {
  target: DemoTarget;
  db: string;
  runId: string;
  payload: { title: string; body: string };
  crashAfter: string;
};

const display = new ProgressDisplay();
const runner = new JobRunner({
  store: new SqliteTaskStore({ path: db }),
  onEvent: (event) => {
    display.listener(event);
    if (event.type === "task.completed" && event.task.id === crashAfter) {
      process.stdout.write(
        styleText(["bold", "red"], `💥 the worker process crashes right after "${crashAfter}" (exit 137)\n`),
      );
      process.exit(137);
    }
  },
});
await runner.run(demoJob(target), { runId, payload });
