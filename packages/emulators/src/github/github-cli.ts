import type { EmulatorCli } from "../shared/emulator-descriptor";
import { GithubEmulator } from "./github-emulator";

// GitHub's rules: a login is alphanumerics and single hyphens (39 at most); a repository name adds `.` and `_`.
const GITHUB_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

/** How `autoflow-emulators` runs the GitHub emulator: `--seed github=<owner>/<name>` adds a repository. */
export const githubCli: EmulatorCli = {
  seedHelp: "a repository, e.g. github=acme/widgets (owner created as an organization octocat belongs to)",
  seedExample: "acme/widgets",
  checkSeed: (value) =>
    GITHUB_REPO.test(value) ? undefined : `"${value}" is not a GitHub repository (owner/name)`,
  create: ({ port }) => {
    const emulator = new GithubEmulator(port === undefined ? {} : { port });
    return {
      emulator,
      seed(value) {
        const [owner = "", name = ""] = value.split("/");
        const { state } = emulator;
        if (state.repo(owner, name)) throw new Error(`GitHub repository ${value} already exists`);
        // The minted token is octocat's: make the new owner an organization octocat belongs to, so the token sees the repository.
        if (!state.accounts.has(owner.toLowerCase())) {
          state.addAccount({ login: owner, type: "Organization", name: owner, email: null });
          state.accounts.get("octocat")?.orgs.push(owner);
        }
        state.addRepo(owner, name);
        return `${owner}/${name}`;
      },
    };
  },
};
