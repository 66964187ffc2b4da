import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type ContractTask, describeProvider } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { createGithubLifecycle, GITHUB_PROVIDER_DEFINITION, Github } from "../src/index";
import { openPullRequest, REPO } from "./__fixtures__/harness";

// The shared provider suite, with every hand-written task, against the emulator over real HTTP.
const emulator = new GithubEmulator();

const featureSha = () => emulator.state.repo("octo-org", "hello")?.refs.get("refs/heads/feature") as string;

const tasks: ContractTask<Github>[] = [
  {
    name: "issues.create",
    call: (gh, key) => gh.issues.create(key, { ...REPO, title: "Contract issue", labels: ["bug"] }),
  },
  { name: "issues.get", call: (gh, key) => gh.issues.get(key, { ...REPO, issue_number: 1 }) },
  {
    name: "issues.update",
    call: (gh, key) => gh.issues.update(key, { ...REPO, issue_number: 1, body: "updated" }),
  },
  { name: "issues.list", call: (gh, key) => gh.issues.list(key, { filter: "all" }) },
  { name: "issues.listForRepo", call: (gh, key) => gh.issues.listForRepo(key, { ...REPO, state: "all" }) },
  {
    name: "issues.createComment",
    call: (gh, key) => gh.issues.createComment(key, { ...REPO, issue_number: 1, body: "hi" }),
  },
  {
    name: "issues.addLabels",
    call: (gh, key) => gh.issues.addLabels(key, { ...REPO, issue_number: 1, labels: ["triage"] }),
  },
  {
    name: "pulls.create",
    call: (gh, key) => {
      const head = `contract-${randomUUID()}`;
      emulator.createBranch("octo-org/hello", head);
      return gh.pulls.create(key, { ...REPO, title: "Contract PR", head, base: "main" });
    },
  },
  {
    name: "pulls.get",
    call: async (gh, key) => gh.pulls.get(key, { ...REPO, pull_number: await openPullRequest(emulator) }),
  },
  { name: "pulls.list", call: (gh, key) => gh.pulls.list(key, { ...REPO, state: "all" }) },
  {
    name: "pulls.merge",
    call: async (gh, key) => gh.pulls.merge(key, { ...REPO, pull_number: await openPullRequest(emulator) }),
  },
  { name: "repos.get", call: (gh, key) => gh.repos.get(key, REPO) },
  { name: "repos.listForAuthenticatedUser", call: (gh, key) => gh.repos.listForAuthenticatedUser(key) },
  {
    name: "repos.createWebhook",
    call: (gh, key) =>
      gh.repos.createWebhook(key, {
        ...REPO,
        config: { url: "https://example.com/hook" },
        events: ["issues"],
      }),
  },
  {
    name: "reactions.createForIssue",
    call: (gh, key) => gh.reactions.createForIssue(key, { ...REPO, issue_number: 1, content: "heart" }),
  },
  {
    name: "reactions.listForIssue",
    call: (gh, key) => gh.reactions.listForIssue(key, { ...REPO, issue_number: 1 }),
  },
  { name: "git.getRef", call: (gh, key) => gh.git.getRef(key, { ...REPO, ref: "heads/main" }) },
  {
    name: "git.createRef",
    call: (gh, key) =>
      gh.git.createRef(key, { ...REPO, ref: `refs/heads/contract-${randomUUID()}`, sha: featureSha() }),
  },
  {
    name: "git.updateRef",
    call: (gh, key) => gh.git.updateRef(key, { ...REPO, ref: "heads/feature", sha: featureSha() }),
  },
];

describeProvider({
  className: "Github",
  definition: GITHUB_PROVIDER_DEFINITION,
  emulator,
  create: (options, github) => new Github({ ...options, baseUrl: github.url }),
  tasks,
  faultCall: (gh, key) => gh.issues.create(key, { ...REPO, title: "Fault issue" }),
  passthrough: {
    method: "actions.listRepoWorkflows",
    call: (gh, key) => gh.actions.listRepoWorkflows(key, REPO),
  },
  lifecycle: {
    create: (store, clock, github) =>
      createGithubLifecycle({
        store,
        clock,
        baseUrl: github.url,
        oauthClient: {
          clientId: github.oauthApp.clientId,
          clientSecret: github.oauthApp.clientSecret,
          redirectUri: "http://127.0.0.1:9/callback",
        },
        timeoutMs: 10_000,
      }),
    // A user token of the lifecycle's OAuth app: the one kind GitHub lets the app revoke.
    mintToken: (github) => github.mintToken({ clientId: github.oauthApp.clientId }),
    expectedMetadata: { login: "octocat", accountId: String(emulator.state.accounts.get("octocat")?.id) },
  },
  // octokit is ESM-only: the CommonJS build relies on require(esm), Node >= 22.12.
  consumer: {
    packageDir: fileURLToPath(new URL("..", import.meta.url)),
    importFrom: ["@autoflow/github", "Github"],
    options: (token, github) => JSON.stringify({ id: "github", token, baseUrl: github.url }),
    body: `(async () => {
      const issue = await io.x.issues.create("create", { owner: "octo-org", repo: "hello", title: "From a consumer" });
      const workflows = await io.x.actions.listRepoWorkflows("workflows", { owner: "octo-org", repo: "hello" });
      return { title: issue.title, workflows: workflows.total_count };
    })()`,
    expected: { title: "From a consumer", workflows: 1 },
  },
});
