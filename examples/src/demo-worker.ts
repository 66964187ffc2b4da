// The demo's worker process: dispatches the inbox's deliveries to job runs on the shared SQLite
// file, and dies abruptly right after the task named by `crashAfter` completes, as a deploy or an
// OOM kill would.
import { styleText } from "node:util";
import { consoleReporter, JobRunner, TriggerDispatcher } from "@autoflow/core";
import { openStores, Vault } from "@autoflow/server";
import { type DemoTarget, demoJob } from "./demo-target";

const { target, db, vaultKey, crashAfter } = JSON.parse(process.env.DEMO_WORKER ?? "{}") as {
  target: DemoTarget;
  db: string;
  vaultKey: string;
  crashAfter: string;
};

const stores = await openStores({
  sqlitePath: db,
  vault: new Vault({ primaryKey: Buffer.from(vaultKey, "base64") }),
});
const display = consoleReporter({ stream: process.stdout, properties: true });
const runner = new JobRunner({
  store: stores.tasks,
  onEvent: (event) => {
    display(event);
    if (event.type === "task.completed" && event.task.id === crashAfter) {
      process.stdout.write(
        styleText(["bold", "red"], `💥 the worker process crashes right after "${crashAfter}" (exit 137)\n`),
      );
      process.exit(137);
    }
  },
});
await new TriggerDispatcher({ inbox: stores.inbox, runner, jobs: [demoJob(target)] }).dispatchPending();
await stores.close();
