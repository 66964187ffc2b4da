import type { EmulatorCli } from "../shared/emulator-descriptor";
import { SlackEmulator } from "./slack-emulator";

// Slack's rule for channel names: lower case letters, digits, hyphens and underscores, at most 80.
const SLACK_CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,79}$/;

/** How `autoflow-emulators` runs the Slack emulator: `--seed slack=<channel>` adds a channel. */
export const slackCli: EmulatorCli = {
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
