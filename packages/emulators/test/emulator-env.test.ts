import { afterEach, describe, expect, it } from "vitest";
import { GithubEmulator } from "../src/github/github-emulator";
import { SlackEmulator } from "../src/slack/slack-emulator";

const started: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.stop()));
});

describe.each([
  {
    provider: "slack",
    create: () => new SlackEmulator({ clientId: "11.22", clientSecret: "s3" }),
    api: "/api/",
  },
  { provider: "github", create: () => new GithubEmulator(), api: "" },
])("$provider emulator's service variables", ({ provider, create, api }) => {
  it("name the API and web URLs and the OAuth app under AUTOFLOW_<P>_", async () => {
    const emulator = create();
    started.push(emulator);
    const url = await emulator.start();
    const prefix = `AUTOFLOW_${provider.toUpperCase()}_`;

    expect(emulator.apiUrl).toBe(`${url}${api}`);
    expect(emulator.webUrl).toBe(url);
    expect(emulator.env()).toEqual({
      [`${prefix}API_URL`]: `${url}${api}`,
      [`${prefix}WEB_URL`]: url,
      [`${prefix}CLIENT_ID`]: expect.stringMatching(/./),
      [`${prefix}CLIENT_SECRET`]: expect.stringMatching(/./),
    });
  });

  it("take another prefix, for a second connection of the same provider", async () => {
    const emulator = create();
    started.push(emulator);
    await emulator.start();
    expect(Object.keys(emulator.env("AUTOFLOW_WORK_")).sort()).toEqual([
      "AUTOFLOW_WORK_API_URL",
      "AUTOFLOW_WORK_CLIENT_ID",
      "AUTOFLOW_WORK_CLIENT_SECRET",
      "AUTOFLOW_WORK_WEB_URL",
    ]);
  });
});

it("the Slack variables carry the OAuth app the emulator was given", async () => {
  const emulator = new SlackEmulator({ clientId: "11.22", clientSecret: "s3" });
  started.push(emulator);
  await emulator.start();
  expect(emulator.env()).toMatchObject({
    AUTOFLOW_SLACK_CLIENT_ID: "11.22",
    AUTOFLOW_SLACK_CLIENT_SECRET: "s3",
  });
});
