/**
 * @module
 * The provider-specific half of the "Effectively once" section: the issue names Slack and GitHub, so the write
 * tasks whose answers are lost, and the three-step run whose worker is killed, are theirs by nature. Each case
 * says how to set it up, which request loses its answer, how the task is called, and how many times its side
 * effect happened (1 is right).
 */
import type { JobIO } from "@autoflow/core";
import type { GithubEmulator, SlackEmulator } from "@autoflow/emulators";
import { Github } from "@autoflow/github";
import { Slack } from "@autoflow/slack";

/** The seeded Slack channel the bot is a member of, and GitHub's seeded repository. */
const CHANNEL = "C01GENERAL";
const REPO = { owner: "octo-org", repo: "hello" } as const;
const REPO_PATH = "/repos/octo-org/hello";

export interface Emulators {
  slack: SlackEmulator;
  github: GithubEmulator;
  slackToken: string;
  githubToken: string;
}

/** The two integrations of a job, pointed at the emulators. */
export function integrations(
  urls: { slackApiUrl: string; slackToken: string; githubUrl: string; githubToken: string },
  timeoutMs: number,
) {
  return {
    slack: new Slack({ id: "slack", token: urls.slackToken, slackApiUrl: urls.slackApiUrl, timeoutMs }),
    github: new Github({ id: "github", token: urls.githubToken, baseUrl: urls.githubUrl, timeoutMs }),
  };
}

export type Io = JobIO<ReturnType<typeof integrations>>;
type Setup = Record<string, string>;

/** One declared write task whose answer the emulator loses after handling it. */
export interface LostAnswerCase {
  provider: "Slack" | "GitHub";
  task: string;
  idempotency: "reconcile" | "idempotent" | "none";
  /** The request that loses its answer. */
  match: (setup: Setup) => { method?: string; path: string };
  prepare: (emulators: Emulators, trial: number) => Promise<Setup> | Setup;
  call: (io: Io, setup: Setup) => Promise<unknown>;
  count: (emulators: Emulators, setup: Setup) => number;
}

const slackPath = (method: string) => ({ path: `/api/${method}` });
const hello = ({ github }: Emulators) => {
  const repo = github.state.repo("octo-org", "hello");
  if (!repo) throw new Error("the GitHub emulator has no octo-org/hello");
  return repo;
};
const messages = ({ slack }: Emulators, text: string | undefined) =>
  slack.workspace.messagesIn(CHANNEL).filter((m) => m.text === text).length;

/** Every write case: the declared ones (target 0 duplicated, 0 lost) and one undeclared, which fails visibly. */
export const LOST_ANSWER_CASES: LostAnswerCase[] = [
  {
    provider: "Slack",
    task: "chat.postMessage",
    idempotency: "reconcile",
    match: () => slackPath("chat.postMessage"),
    prepare: (_e, trial) => ({ text: `lost-post-${trial}` }),
    call: (io, { text }) => io.slack.chat.postMessage("post", { channel: CHANNEL, text: text ?? "" }),
    count: (e, { text }) => messages(e, text),
  },
  {
    provider: "Slack",
    task: "chat.postMessage (thread reply)",
    idempotency: "reconcile",
    match: () => slackPath("chat.postMessage"),
    prepare: (e, trial) => ({
      text: `lost-reply-${trial}`,
      parent: e.slack.seedMessage(CHANNEL, `parent-${trial}`).ts,
    }),
    call: (io, { text, parent }) =>
      io.slack.chat.postMessage("reply", { channel: CHANNEL, text: text ?? "", thread_ts: parent ?? "" }),
    count: (e, { text }) => messages(e, text),
  },
  {
    provider: "Slack",
    task: "chat.scheduleMessage",
    idempotency: "reconcile",
    match: () => slackPath("chat.scheduleMessage"),
    prepare: (e, trial) => ({
      text: `lost-schedule-${trial}`,
      postAt: String(e.slack.workspace.nowSeconds() + 86_400),
    }),
    call: (io, { text, postAt }) =>
      io.slack.chat.scheduleMessage("schedule", {
        channel: CHANNEL,
        text: text ?? "",
        post_at: Number(postAt),
      }),
    count: (e, { text }) => e.slack.workspace.scheduled.filter((s) => s.text === text).length,
  },
  {
    provider: "Slack",
    task: "conversations.create",
    idempotency: "reconcile",
    match: () => slackPath("conversations.create"),
    prepare: (_e, trial) => ({ name: `lost-channel-${trial}` }),
    call: (io, { name }) => io.slack.conversations.create("create", { name: name ?? "" }),
    count: (e, { name }) => [...e.slack.workspace.channels.values()].filter((c) => c.name === name).length,
  },
  {
    provider: "Slack",
    task: "reactions.add",
    idempotency: "idempotent",
    match: () => slackPath("reactions.add"),
    prepare: (e, trial) => ({ ts: e.slack.seedMessage(CHANNEL, `react-${trial}`).ts }),
    call: (io, { ts }) =>
      io.slack.reactions.add("react", { channel: CHANNEL, timestamp: ts ?? "", name: "rocket" }),
    count: (e, { ts }) =>
      e.slack.workspace.findMessage(CHANNEL, ts)?.reactions?.find((r) => r.name === "rocket")?.count ?? 0,
  },
  {
    provider: "Slack",
    task: "chat.delete",
    idempotency: "idempotent",
    match: () => slackPath("chat.delete"),
    prepare: (e, trial) => ({ ts: e.slack.seedMessage(CHANNEL, `delete-${trial}`).ts }),
    call: (io, { ts }) => io.slack.chat.delete("delete", { channel: CHANNEL, ts: ts ?? "" }),
    count: (e, { ts }) => (e.slack.workspace.findMessage(CHANNEL, ts) ? 0 : 1),
  },
  {
    provider: "Slack",
    task: "chat.postEphemeral (undeclared)",
    idempotency: "none",
    match: () => slackPath("chat.postEphemeral"),
    prepare: (_e, trial) => ({ text: `lost-ephemeral-${trial}` }),
    call: (io, { text }) =>
      io.slack.chat.postEphemeral("whisper", { channel: CHANNEL, user: "U0002", text: text ?? "" }),
    count: (e, { text }) => e.slack.ephemeral.filter((m) => m.text === text).length,
  },
  {
    provider: "GitHub",
    task: "issues.create",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: `${REPO_PATH}/issues` }),
    prepare: (_e, trial) => ({ title: `lost-issue-${trial}` }),
    call: (io, { title }) => io.github.issues.create("create", { ...REPO, title: title ?? "" }),
    count: (e, { title }) => hello(e).issues.filter((i) => i.title === title).length,
  },
  {
    provider: "GitHub",
    task: "issues.createComment",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: `${REPO_PATH}/issues/1/comments` }),
    prepare: (_e, trial) => ({ body: `lost-comment-${trial}` }),
    call: (io, { body }) =>
      io.github.issues.createComment("comment", { ...REPO, issue_number: 1, body: body ?? "" }),
    count: (e, { body }) =>
      hello(e)
        .issues.flatMap((i) => i.comments)
        .filter((c) => c.body.startsWith(`${body}\n\n<!--`)).length,
  },
  {
    provider: "GitHub",
    task: "pulls.create",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: `${REPO_PATH}/pulls` }),
    prepare: (e, trial) => {
      const branch = `lost-pull-${trial}`;
      e.github.createBranch("octo-org/hello", branch);
      return { branch };
    },
    call: (io, { branch }) =>
      io.github.pulls.create("open", { ...REPO, title: "Feature", head: branch ?? "", base: "main" }),
    count: (e, { branch }) => hello(e).pulls.filter((p) => p.head.ref === branch).length,
  },
  {
    provider: "GitHub",
    task: "repos.createWebhook",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: `${REPO_PATH}/hooks` }),
    prepare: (_e, trial) => ({ url: `https://hooks.example.test/lost-${trial}` }),
    call: (io, { url }) => io.github.repos.createWebhook("hook", { ...REPO, config: { url: url ?? "" } }),
    count: (e, { url }) => hello(e).hooks.filter((h) => h.config.url === url).length,
  },
  {
    provider: "GitHub",
    task: "git.createRef",
    idempotency: "idempotent",
    match: () => ({ method: "POST", path: `${REPO_PATH}/git/refs` }),
    prepare: (e, trial) => ({
      ref: `refs/heads/lost-ref-${trial}`,
      sha: hello(e).refs.get("refs/heads/main") ?? "",
    }),
    call: (io, { ref, sha }) => io.github.git.createRef("ref", { ...REPO, ref: ref ?? "", sha: sha ?? "" }),
    count: (e, { ref, sha }) => (hello(e).refs.get(ref ?? "") === sha ? 1 : 0),
  },
  {
    provider: "GitHub",
    task: "issues.addLabels",
    idempotency: "idempotent",
    match: () => ({ method: "POST", path: `${REPO_PATH}/issues/1/labels` }),
    prepare: (_e, trial) => ({ label: `lost-label-${trial}` }),
    call: (io, { label }) =>
      io.github.issues.addLabels("label", { ...REPO, issue_number: 1, labels: [label ?? ""] }),
    count: (e, { label }) =>
      hello(e)
        .issues.find((i) => i.number === 1)
        ?.labels.filter((l) => l === label).length ?? 0,
  },
];

/** The three-step run the crash trials kill: create an issue, post a message, comment on the issue. */
export async function threeStepRun(io: Io, mark: string): Promise<{ issue: number }> {
  const issue = await io.github.issues.create("issue", { ...REPO, title: mark });
  await io.slack.chat.postMessage("post", { channel: CHANNEL, text: mark });
  await io.github.issues.createComment("comment", { ...REPO, issue_number: issue.number, body: mark });
  return { issue: issue.number };
}

/** How many times each of the three steps' side effects happened for the run marked `mark`. */
export function threeStepEffects(e: Emulators, mark: string): number[] {
  const issues = hello(e).issues.filter((i) => i.title === mark);
  const comments = issues.flatMap((i) => i.comments).filter((c) => c.body.startsWith(`${mark}\n\n<!--`));
  return [issues.length, messages(e, mark), comments.length];
}
