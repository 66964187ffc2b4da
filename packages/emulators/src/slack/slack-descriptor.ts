import type { EmulatorDescriptor } from "../shared/emulator-descriptor";
import { slackServiceHarness } from "./service-harness";
import { slackCli } from "./slack-cli";
import { SLACK_SIGNATURE } from "./slack-events-api";
import { slackSdkMethods } from "./slack-sdk-methods";

/** The Slack emulator, as `emulator-list.ts` lists it. */
export const slackDescriptor: EmulatorDescriptor = {
  id: "slack",
  envPrefix: "AUTOFLOW_SLACK_",
  cli: slackCli,
  serviceHarness: slackServiceHarness,
  webhookSignature: SLACK_SIGNATURE,
  sdk: { package: "@slack/web-api", byPathOnly: true, methods: slackSdkMethods },
  // The READMEs' samples post to #ops and #deploys.
  samples: { realApiUrl: "https://slack.com/api/", seeds: ["ops", "deploys"] },
};
