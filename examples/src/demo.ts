// `pnpm demo`: the product in one command. With no credentials it starts the GitHub and Slack
// emulators and runs the example job against them; with GITHUB_TOKEN and SLACK_TOKEN it runs the
// same job against the real APIs.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, styleText } from "node:util";
import {
  consoleReporter,
  JobRunner,
  nodeWebhookHandler,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import {
  createGithubWebhookVerifier,
  generateGithubWebhookSecret,
  registerGithubWebhook,
} from "@autoflow/github";
import { generateVaultKey, openStores, Vault } from "@autoflow/server";
import { type DemoTarget, demoJob } from "./demo-target";
import { runWorkflowAct } from "./demo-workflow";

const HELP = `pnpm demo [options]

Runs the example job "issue-to-slack", started by a GitHub webhook: a teammate opens an issue,
GitHub delivers a signed issues.opened event, the job announces it in Slack and links the Slack
thread back on the issue. Every step is a durable task, shown live.

Without credentials it runs against local emulators (no network): the GitHub emulator delivers
the webhook to a local intake that verifies it and writes it to a durable SQLite inbox before
answering. With GITHUB_TOKEN and SLACK_TOKEN set it runs against the real APIs; then set
DEMO_GITHUB_REPO (owner/repo) and DEMO_SLACK_CHANNEL (a channel id) too. GitHub cannot reach
this machine, so the demo then opens the issue itself and hands the event to the job.

Then, with the emulators, the same story with no code: the connection service keeps the GitHub
and Slack connections in its encrypted vault, a stored workflow (trigger github.issueOpened,
steps slack.sendMessage and github.createComment from the action registry) is created over its
HTTP API, a second issue's webhook starts it, and GET /api/runs/:id shows every step.

Options:
  --title <text>     the issue title (default: "Checkout fails for EU customers")
  --no-workflow      skip the stored-workflow act (emulators only)
  --no-faults        do not inject the Slack rate limit (emulators only)
  --no-crash         do not crash the worker half-way (emulators only)
  -h, --help         this help
`;

const { values: args } = parseArgs({
  options: {
    title: { type: "string", default: "Checkout fails for EU customers" },
    "no-faults": { type: "boolean", default: false },
    "no-crash": { type: "boolean", default: false },
    "no-workflow": { type: "boolean", default: false },
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
  if (!githubEmulator || !slackEmulator) return runAgainstRealApis();
  await Promise.all([githubEmulator.start(), slackEmulator.start()]);
  say(styleText("bold", "AutoFlow demo, against local emulators (no credentials, no network)"));
  say(styleText("dim", `  GitHub emulator ${githubEmulator.url} · Slack emulator ${slackEmulator.url}`));
  const githubToken = githubEmulator.mintToken({ login: "octocat" });
  const target: DemoTarget = {
    github: { token: githubToken, baseUrl: githubEmulator.url },
    slack: { token: slackEmulator.mintToken(), slackApiUrl: slackEmulator.apiUrl },
    repository: "octo-org/hello",
    channel: "C01GENERAL",
  };

  const dir = mkdtempSync(join(tmpdir(), "autoflow-demo-"));
  const db = join(dir, "demo.db");
  const vaultKey = generateVaultKey();
  const stores = await openStores({
    sqlitePath: db,
    vault: new Vault({ primaryKey: Buffer.from(vaultKey, "base64") }),
  });
  const secret = generateGithubWebhookSecret();
  // The intake: verify the signature on the raw bytes, write to the durable inbox, answer. Nothing runs here.
  const intake = createServer(
    nodeWebhookHandler({ verifier: createGithubWebhookVerifier({ secrets: [secret] }), inbox: stores.inbox }),
  );
  await new Promise<void>((resolve) => intake.listen(0, "127.0.0.1", resolve));
  const intakeUrl = `http://127.0.0.1:${(intake.address() as AddressInfo).port}/api/webhooks/github`;

  try {
    const hook = await registerGithubWebhook({
      token: githubToken,
      baseUrl: githubEmulator.url,
      owner: "octo-org",
      repo: "hello",
      url: intakeUrl,
      events: ["issues"],
      secret,
    });
    say(
      styleText(
        "dim",
        `  Webhook ${hook.hookId} registered on octo-org/hello -> ${intakeUrl} (signed with a generated secret)`,
      ),
    );
    if (!args["no-faults"]) {
      // The permalink call is refused once with Slack's 429 + Retry-After and retried. A one-shot fault, not a
      // rate window: however slow the machine, the crash and the re-dispatch cannot outlast it.
      slackEmulator.server.faults.failNext(
        1,
        { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } },
        { path: "/api/chat.getPermalink" },
      );
      say(
        styleText(
          "yellow",
          "  Fault injected: Slack answers the first chat.getPermalink with 429 + Retry-After: 1",
        ),
      );
    }

    say(styleText("bold", `\nA teammate opens an issue on GitHub: "${args.title}"`));
    await openIssue(githubEmulator.url, githubToken, args.title);
    await githubEmulator.awaitDeliveries();
    const delivery = githubEmulator.deliveries.find((d) => d.event === "issues" && d.action === "opened");
    if (!delivery) throw new Error("GitHub did not deliver issues.opened");
    say(
      `  ⚡ GitHub delivered issues.opened (${delivery.id}) -> ${delivery.status}, written to the SQLite inbox`,
    );

    const display = consoleReporter({ stream: process.stdout, properties: true });
    if (!args["no-crash"]) {
      say(
        styleText(
          "yellow",
          "\nA worker process dispatches it; it will die right after the Slack announcement",
        ),
      );
      // Async spawn: the emulators live in this process and must keep answering the worker.
      const worker = spawn(
        process.execPath,
        ["--import", "tsx", fileURLToPath(new URL("./demo-worker.ts", import.meta.url))],
        {
          stdio: "inherit",
          env: {
            ...process.env,
            DEMO_WORKER: JSON.stringify({ target, db, vaultKey, crashAfter: "announce" }),
          },
        },
      );
      const [code] = await once(worker, "exit");
      say(
        styleText(
          "bold",
          `\nThe worker exited ${code}; this process re-dispatches the delivery from the inbox`,
        ),
      );
    }
    const runner = new JobRunner({ store: stores.tasks, onEvent: display });
    const job = demoJob(target);
    const results: RunResult<unknown>[] = [];
    const dispatcher = new TriggerDispatcher({
      inbox: stores.inbox,
      runner,
      jobs: [job],
      onRun: (_job, r) => results.push(r),
    });
    await dispatcher.dispatchPending();
    const result = results[0];
    if (result?.status !== "completed") throw new Error(`the run ended ${result?.status ?? "never started"}`);

    say(styleText("bold", "\nGitHub retries the same delivery twice (as it does when an answer is slow)"));
    const retries = await githubEmulator.redeliver(delivery.id, 2);
    await githubEmulator.awaitDeliveries();
    say(
      `  answers: ${retries.map((r) => r.status).join(", ")}, started runs: ${await dispatcher.dispatchPending()}`,
    );

    const output = result.output as { issue: string; slackMessage: string };
    say(styleText("bold", "\nSummary"));
    say(`  issue          ${output.issue}`);
    say(`  slack message  ${output.slackMessage}`);
    const { completed, replayed, retries: retried, failed } = display.summary;
    say(
      `  this process   ${completed} tasks run, ${replayed} replayed from the log, ${retried} retried, ${failed} failed`,
    );
    const comments =
      githubEmulator.state.repo("octo-org", "hello")?.issues.find((i) => i.title === args.title)?.comments ??
      [];
    const messages = slackEmulator.history("C01GENERAL").filter((m) => m.text.includes(args.title));
    say(
      `  emulator state ${messages.length} Slack message, ${comments.length} comment on the issue: no side effect repeated`,
    );
    if (messages.length !== 1 || comments.length !== 1) throw new Error("a side effect was repeated or lost");

    if (!args["no-workflow"]) {
      say(styleText("bold", "\nThe same story with no code: a stored workflow in the connection service"));
      const title = `${args.title} (again)`;
      await runWorkflowAct({ github: githubEmulator, slack: slackEmulator, title, say });
      const announced = slackEmulator.history("C01GENERAL").filter((m) => m.text.includes(title));
      const linked =
        githubEmulator.state.repo("octo-org", "hello")?.issues.find((i) => i.title === title)?.comments ?? [];
      say(`  emulator state ${announced.length} Slack message, ${linked.length} comment on the second issue`);
      if (announced.length !== 1 || linked.length !== 1)
        throw new Error("the workflow's side effects are wrong");
    }
  } finally {
    intake.closeAllConnections();
    await new Promise((resolve) => intake.close(resolve));
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a teammate does in GitHub's UI: not a task of ours, a plain API call. */
async function openIssue(
  baseUrl: string,
  token: string,
  title: string,
  repository = "octo-org/hello",
): Promise<unknown> {
  const response = await fetch(`${baseUrl}/repos/${repository}/issues`, {
    method: "POST",
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ title, body: "Reported through the AutoFlow demo." }),
  });
  if (!response.ok) throw new Error(`opening the issue failed: ${response.status}`);
  return response.json();
}

/** Real APIs: GitHub cannot deliver to this machine, so the demo opens the issue and hands the event over itself. */
async function runAgainstRealApis(): Promise<void> {
  const target: DemoTarget = {
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
  const issue = (await openIssue(
    "https://api.github.com",
    target.github.token,
    args.title,
    target.repository,
  )) as { user: unknown };
  const display = consoleReporter({ stream: process.stdout, properties: true });
  const job = demoJob(target);
  const repository = await (
    await fetch(`https://api.github.com/repos/${target.repository}`, {
      headers: { authorization: `token ${target.github.token}` },
    })
  ).json();
  const result = await new JobRunner({ onEvent: display }).run(job, {
    // The shape of GitHub's issues.opened delivery, built from the same API objects it carries.
    payload: { action: "opened", issue, repository, sender: issue.user } as never,
  });
  if (result.status !== "completed") throw new Error(`the run ended ${result.status}`);
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
