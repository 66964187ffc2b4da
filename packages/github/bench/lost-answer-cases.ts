/**
 * @module
 * GitHub's write tasks in the bench's "Effectively once" section: the emulator performs each request, then
 * loses its answer. Each case says how to set it up, which request loses its answer, how the task is called,
 * and how many times its side effect happened (1 is right).
 */
import type { GithubEmulator } from "@autoflow/emulators";
import type { Github } from "@autoflow/github";
import type { LostAnswerCase } from "../../../bench/src/provider-bench";
import { REPO, REPO_PATH } from "./seeds";

/** The seeded repository's state in the emulator. */
export const hello = (emulator: GithubEmulator) => {
  const repo = emulator.state.repo(REPO.owner, REPO.repo);
  if (!repo) throw new Error("the GitHub emulator has no octo-org/hello");
  return repo;
};

/** Every write case; all declared (target 0 duplicated, 0 lost). */
export const LOST_ANSWER_CASES: LostAnswerCase<{ github: Github }, GithubEmulator>[] = [
  {
    task: "issues.create",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: `${REPO_PATH}/issues` }),
    prepare: (_e, trial) => ({ title: `lost-issue-${trial}` }),
    call: (io, { title }) => io.github.issues.create("create", { ...REPO, title: title ?? "" }),
    count: (e, { title }) => hello(e).issues.filter((i) => i.title === title).length,
  },
  {
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
    task: "pulls.create",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: `${REPO_PATH}/pulls` }),
    prepare: (e, trial) => {
      const branch = `lost-pull-${trial}`;
      e.createBranch("octo-org/hello", branch);
      return { branch };
    },
    call: (io, { branch }) =>
      io.github.pulls.create("open", { ...REPO, title: "Feature", head: branch ?? "", base: "main" }),
    count: (e, { branch }) => hello(e).pulls.filter((p) => p.head.ref === branch).length,
  },
  {
    task: "repos.createWebhook",
    idempotency: "reconcile",
    match: () => ({ method: "POST", path: `${REPO_PATH}/hooks` }),
    prepare: (_e, trial) => ({ url: `https://hooks.example.test/lost-${trial}` }),
    call: (io, { url }) => io.github.repos.createWebhook("hook", { ...REPO, config: { url: url ?? "" } }),
    count: (e, { url }) => hello(e).hooks.filter((h) => h.config.url === url).length,
  },
  {
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
