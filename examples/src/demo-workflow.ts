// The demo's second act: the same story with no code, as a stored workflow. The connection service (SQLite,
// in this process) holds the user's GitHub and Slack connections in its vault, the workflow is created over its
// HTTP API from registry actions, GitHub's signed webhook starts it, and the run view shows every step.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { styleText } from "node:util";
import { consoleReporter } from "@autoflow/core";
import type { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { registerGithubWebhook } from "@autoflow/github";
import {
  createDevToken,
  generateVaultKey,
  loadServerConfig,
  PROVIDER_IDS,
  startServer,
} from "@autoflow/server";

const OWNER = "octo-org";
const REPO = "hello";

/** The workflow a builder UI would save: a trigger from the catalogue and two registry actions. */
export const triageWorkflow = (channel: string) => ({
  name: "Triage new issues",
  trigger: { key: "github.issueOpened", inputs: { owner: OWNER, repo: REPO } },
  steps: [
    {
      id: "announce",
      action: "slack.sendMessage",
      inputs: {
        channel,
        text: ":new: #{{trigger.issue.number}} {{trigger.issue.title}} (by {{trigger.issue.user.login}})",
      },
      credentialId: "slack",
    },
    {
      id: "link",
      action: "github.createComment",
      inputs: {
        owner: OWNER,
        repo: REPO,
        issue_number: { $ref: "trigger.issue.number" },
        body: "Announced in Slack, message {{steps.announce.output.ts}}.",
      },
      credentialId: "github",
    },
  ],
});

interface StepView {
  id: string;
  action: string;
  status: string;
  attempts: number;
  startedAt?: string;
  completedAt?: string;
}

/** Runs the workflow act against the emulators; returns what the run view showed. */
export async function runWorkflowAct(options: {
  github: GithubEmulator;
  slack: SlackEmulator;
  title: string;
  say: (line: string) => void;
}): Promise<{ runId: string; steps: StepView[] }> {
  const { github, slack, say } = options;
  const dir = mkdtempSync(join(tmpdir(), "autoflow-demo-service-"));
  const jwtSecret = `demo-${generateVaultKey()}`;
  const config = loadServerConfig(
    {
      NODE_ENV: "development",
      PORT: "0",
      AUTOFLOW_STATE_DIR: dir,
      AUTOFLOW_VAULT_KEY: generateVaultKey(),
      AUTOFLOW_JWT_SECRET: jwtSecret,
      AUTOFLOW_GITHUB_API_URL: github.url,
      AUTOFLOW_SLACK_API_URL: slack.apiUrl,
    },
    PROVIDER_IDS,
  );
  const display = consoleReporter({ stream: process.stdout, properties: true });
  const server = await startServer(config, {
    hostname: "127.0.0.1",
    logger: { info() {}, warn: (line) => say(styleText("yellow", `  service: ${line}`)), error: say },
    onRunEvent: display,
  });
  const bearer = `Bearer ${await createDevToken(jwtSecret, { userId: "demo-user" })}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: bearer, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${JSON.stringify(json)}`);
    return json;
  };

  try {
    // The first act's injected rate limit is over: this act shows the service path, not the retry again.
    await slack.clearFaults();
    say(styleText("dim", `  Connection service on ${server.url} (SQLite, encrypted vault)`));
    const githubToken = github.mintToken({ login: "octocat", scopes: ["repo", "admin:repo_hook"] });
    const connection = await api("POST", "/api/integrations/github/connections", {
      accessToken: githubToken,
    });
    await api("POST", "/api/integrations/slack/connections", { accessToken: slack.mintToken() });
    say(
      `  POST /api/integrations/{github,slack}/connections -> tokens in the vault, shown only as tokenMasked`,
    );
    // What a trigger's registration does for a connection: a hook on its URL, the secret in the vault first.
    const hook = await registerGithubWebhook({
      token: githubToken,
      baseUrl: github.url,
      owner: OWNER,
      repo: REPO,
      url: `${server.url}/api/webhooks/github/${connection.id}`,
      events: ["issues"],
    });
    await server.stores.webhookSecrets.saveSecret({
      connectionId: String(connection.id),
      secretId: String(hook.hookId),
      provider: "github",
      secret: hook.secret,
      createdAt: new Date().toISOString(),
    });
    const workflow = await api("POST", "/api/workflows", triageWorkflow("C01GENERAL"));
    say(
      `  POST /api/workflows -> ${workflow.id}: github.issueOpened -> slack.sendMessage -> github.createComment`,
    );

    say(styleText("bold", `\nAnother issue is opened: "${options.title}"`));
    const opened = await fetch(`${github.url}/repos/${OWNER}/${REPO}/issues`, {
      method: "POST",
      headers: { authorization: `token ${githubToken}`, "content-type": "application/json" },
      body: JSON.stringify({ title: options.title }),
    });
    if (!opened.ok) throw new Error(`opening the issue failed: ${opened.status}`);
    await github.awaitDeliveries();

    let runId: string | undefined;
    let view: { status: string; steps: StepView[] } | undefined;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const runs = (await api("GET", `/api/runs?workflowId=${workflow.id}`)).runs as { id: string }[];
      runId = runs[0]?.id;
      if (runId) {
        view = (await api("GET", `/api/runs/${runId}`)) as unknown as typeof view;
        if (view?.status === "completed" || view?.status === "failed") break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!runId || view?.status !== "completed")
      throw new Error(`the workflow run ended ${view?.status ?? "never"}`);
    say(`\n  GET /api/runs/${runId} -> ${view.status}`);
    for (const step of view.steps) {
      const ms =
        step.startedAt && step.completedAt
          ? Date.parse(step.completedAt) - Date.parse(step.startedAt)
          : undefined;
      say(
        `    ${step.id.padEnd(9)} ${step.action.padEnd(21)} ${step.status}  attempts ${step.attempts}${ms === undefined ? "" : `  ${ms} ms`}`,
      );
    }
    return { runId, steps: view.steps };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
