import { afterEach, expect, it } from "vitest";
import { SlackEmulator } from "../src/slack/slack-emulator";

const started: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.stop()));
});

it("the Slack variables carry the OAuth app the emulator was given, and the Web API's /api/ path", async () => {
  const emulator = new SlackEmulator({ clientId: "11.22", clientSecret: "s3" });
  started.push(emulator);
  const url = await emulator.start();
  expect(emulator.env()).toEqual({
    AUTOFLOW_SLACK_API_URL: `${url}/api/`,
    AUTOFLOW_SLACK_WEB_URL: url,
    AUTOFLOW_SLACK_CLIENT_ID: "11.22",
    AUTOFLOW_SLACK_CLIENT_SECRET: "s3",
  });
});
