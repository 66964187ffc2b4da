import type { ProviderEmulator } from "@autoflow/core";
import { GithubEmulator } from "../github/github-emulator";
import { SlackEmulator } from "../slack/slack-emulator";

/** One emulator as the command drives it: the shared surface, plus the seed data its flags add. */
export interface CliEmulator {
  readonly emulator: ProviderEmulator;
  /** Adds one `--seed` value to the emulator's state (after `start`); resolves to what was added, for the summary. */
  seed(value: string): string;
}

/** A provider the command can run. */
export interface CliProvider {
  /** What `--seed <provider>=<value>` adds, for `--help`. */
  readonly seedHelp: string;
  /** Why `value` is not a valid seed, or undefined when it is: checked before anything starts. */
  checkSeed(value: string): string | undefined;
  create(options: { port?: number }): CliEmulator;
}

// Slack's rule for channel names: lower case letters, digits, hyphens and underscores, at most 80.
const SLACK_CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,79}$/;
// GitHub's rules: a login is alphanumerics and single hyphens (39 at most); a repository name adds `.` and `_`.
const GITHUB_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

const slack: CliProvider = {
  seedHelp: "a channel, e.g. slack=deploys (the app's bot and every person are members)",
  checkSeed: (value) =>
    SLACK_CHANNEL_NAME.test(value.replace(/^#/, ""))
      ? undefined
      : `"${value}" is not a Slack channel name (lower case letters, digits, - and _, at most 80)`,
  create: ({ port }) => {
    const emulator = new SlackEmulator(port === undefined ? {} : { port });
    return {
      emulator,
      seed(value) {
        const name = value.replace(/^#/, "");
        const { workspace } = emulator;
        if (workspace.findChannel(name)) throw new Error(`Slack channel #${name} already exists`);
        const members = [...workspace.users.keys()];
        const channel = workspace.addChannel(workspace.nextId("C"), name, "U0001", members);
        return `#${channel.name} (${channel.id})`;
      },
    };
  },
};

const github: CliProvider = {
  seedHelp: "a repository, e.g. github=acme/widgets (owner created as an organization octocat belongs to)",
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

/** Every provider `autoflow-emulators` can run, by provider id; a new provider's emulator adds its line. */
export const CLI_PROVIDERS: Readonly<Record<string, CliProvider>> = { slack, github };
