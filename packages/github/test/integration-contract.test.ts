import { randomUUID } from "node:crypto";
import { type ContractTask, describeIntegrationContract } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll } from "vitest";
import { Github } from "../src/index";
import { openPullRequest, REPO } from "./__fixtures__/harness";

// The core contract kit, with every hand-written task and a passthrough one, against the emulator over HTTP.
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

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
  {
    name: "actions.listRepoWorkflows (passthrough)",
    call: (gh, key) => gh.actions.listRepoWorkflows(key, REPO),
  },
  { name: "users.getAuthenticated (passthrough)", call: (gh, key) => gh.users.getAuthenticated(key) },
];

describeIntegrationContract<Github>({
  className: "Github",
  metadata: { name: "GitHub", id: "github" },
  // A short timeout keeps the `timeout` fault's nine attempts under two seconds.
  create: (options) => new Github({ ...options, baseUrl: emulator.url }),
  token: emulator.mintToken(),
  hostedAuth: { type: "oauth2", accessToken: emulator.mintToken({ clientId: emulator.oauthApp.clientId }) },
  tasks,
  faults: {
    inject: (fault) => emulator.injectFault(fault),
    reset: () => emulator.clearFaults(),
    call: (gh, key) => gh.issues.create(key, { ...REPO, title: "Fault issue" }),
  },
});
