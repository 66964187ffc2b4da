// `pnpm demo`: the product in one command. With no credentials it starts the GitHub and Slack
// emulators and runs the example job against them; with GITHUB_TOKEN and SLACK_TOKEN it runs the
// same job against the real APIs.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, styleText } from "node:util";
import { JobRunner } from "@autoflow/core";
import { SqliteTaskStore } from "@autoflow/core/sqlite";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { type DemoTarget, demoJob } from "./demo-target";
import { ProgressDisplay } from "./progress";

const HELP = `pnpm demo [options]

Runs the example job "issue-to-slack": opens a GitHub issue, announces it in Slack, links the
Slack thread back on the issue. Every step is a durable task, shown live.

Without credentials it runs against local emulators (no network). With GITHUB_TOKEN and
SLACK_TOKEN set it runs against the real APIs; then set DEMO_GITHUB_REPO (owner/repo) and
DEMO_SLACK_CHANNEL too.

Options:
  --title <text>     the issue title (default: "Checkout fails for EU customers")
  --no-faults        do not inject the Slack rate limit (emulators only)
  --no-crash         do not crash the worker half-way (emulators only)
  -h, --help         this help
`;

const { values: args } = parseArgs({
  options: {
    title: { type: "string", default: "Checkout fails for EU customers" },
    "no-faults": { type: "boolean", default: false },
    "no-crash": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const real = Boolean(process.env.GITHUB_TOKEN && process.env.SLACK_TOKEN);
const githubEmulator = real ? undefined : new GithubEmulator();
const slackEmulator = real ? undefined : new SlackEmulator();

async function main(): Promise<void> {
  let target: DemoTarget;
  if (githubEmulator && slackEmulator) {
    await Promise.all([githubEmulator.start(), slackEmulator.start()]);
    say(styleText("bold", "AutoFlow demo, against local emulators (no credentials, no network)"));
    say(styleText("dim", `  GitHub emulator ${githubEmulator.url} · Slack emulator ${slackEmulator.url}\n`));
    target = {
      github: { token: githubEmulator.mintToken({ login: "octocat" }), baseUrl: githubEmulator.url },
      slack: { token: slackEmulator.mintToken(), slackApiUrl: slackEmulator.apiUrl },
      repository: "octo-org/hello",
      channel: "C0001",
    };
    if (!args["no-faults"]) {
      // One Slack call per 1.5 s: the second Slack call is refused with 429 + Retry-After and retried.
      slackEmulator.rateLimit(1, 1_500);
      say(
        styleText(
          "yellow",
          "  Fault injected: Slack allows 1 request per 1.5 s (429 + Retry-After beyond it)",
        ),
      );
    }
  } else {
    target = {
      github: { token: required("GITHUB_TOKEN") },
      slack: { token: required("SLACK_TOKEN") },
      repository: required("DEMO_GITHUB_REPO"),
      channel: required("DEMO_SLACK_CHANNEL"),
    };
    say(
      styleText(
        "bold",
        `AutoFlow demo, against the real GitHub (${target.repository}) and Slack (${target.channel})\n`,
      ),
    );
  }

  const dir = mkdtempSync(join(tmpdir(), "autoflow-demo-"));
  const db = join(dir, "demo.db");
  const runId = `demo-${randomUUID().slice(0, 8)}`;
  const payload = { title: args.title, body: "Reported by the AutoFlow demo." };
  const display = new ProgressDisplay(say);
  const store = new SqliteTaskStore({ path: db });
  try {
    if (!real && !args["no-crash"]) {
      say(
        styleText("yellow", "  Crash injected: the worker process dies right after the Slack announcement\n"),
      );
      // Async spawn: the emulators live in this process and must keep answering the worker.
      const worker = spawn(
        process.execPath,
        ["--import", "tsx", fileURLToPath(new URL("./demo-worker.ts", import.meta.url))],
        {
          stdio: "inherit",
          env: {
            ...process.env,
            DEMO_WORKER: JSON.stringify({ target, db, runId, payload, crashAfter: "announce" }),
          },
        },
      );
      const [code] = await once(worker, "exit");
      say(
        styleText(
          "bold",
          `\nThis process resumes run ${runId} from the SQLite task log (the worker exited ${code})`,
        ),
      );
    } else say("");

    const result = await new JobRunner({ store, onEvent: display.listener }).run(demoJob(target), {
      runId,
      payload,
    });
    if (result.status !== "completed") throw new Error(`the run ended ${result.status}`);

    say(styleText("bold", "\nSummary"));
    say(`  issue          ${result.output.issue}`);
    say(`  slack message  ${result.output.slackMessage}`);
    const { completed, replayed, retries, failed } = display.summary;
    say(
      `  this process   ${completed} tasks run, ${replayed} replayed from the log, ${retries} retried, ${failed} failed`,
    );
    if (githubEmulator && slackEmulator) {
      const issues =
        githubEmulator.state.repo("octo-org", "hello")?.issues.filter((i) => i.title === args.title) ?? [];
      const messages = slackEmulator.history("C0001").filter((m) => m.text.includes(args.title));
      say(
        `  emulator state ${issues.length} issue opened, ${messages.length} Slack message posted: no side effect repeated`,
      );
      if (issues.length !== 1 || messages.length !== 1) throw new Error("a side effect was repeated or lost");
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(
      `${name} must be set to run the demo against the real APIs (see pnpm demo --help)\n`,
    );
    process.exit(2);
  }
  return value;
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      styleText("red", `demo failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all([githubEmulator?.stop(), slackEmulator?.stop()]);
  });
