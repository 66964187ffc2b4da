import { LogLevel, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, SlackEmulator } from "../src/index";

describe("Slack: described methods without a route answer from the description", () => {
  const clock = new ManualClock();
  const emulator = new SlackEmulator({ clock });
  let slack: WebClient;

  const client = (token?: string) =>
    new WebClient(token, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });

  beforeAll(async () => {
    await emulator.start();
    slack = client(emulator.mintToken());
  });
  afterAll(() => emulator.stop());

  it("answers through the WebClient with the schema's shape, marked x-emulator-fallback: spec in the request log", async () => {
    expect(await slack.pins.add({ channel: "C01GENERAL", timestamp: "1700000000.000100" })).toMatchObject({
      ok: true,
    });
    const team = await slack.team.info();
    expect(team).toMatchObject({ ok: true, team: { id: expect.any(String), name: expect.any(String) } });
    const last = emulator.requests.at(-1);
    expect(last).toMatchObject({ path: "/api/team.info", operation: "GET /team.info" });
    expect(last?.responseHeaders?.["x-emulator-fallback"]).toBe("spec");
  });

  it("answers invalid_arguments naming a missing or mistyped argument (form values coerced to the described types)", async () => {
    await expect(
      slack.pins.add({} as unknown as { channel: string; timestamp: string }),
    ).rejects.toMatchObject({
      data: {
        ok: false,
        error: "invalid_arguments",
        response_metadata: { messages: ["[ERROR] missing required field: channel"] },
      },
    });
    // `limit: "10"` arrives as text in the form and is an integer: no violation.
    await slack.conversations.history({ channel: "C01GENERAL", limit: 10 });
    await expect(
      slack.conversations.history({ channel: "C01GENERAL", limit: "many" as unknown as number }),
    ).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    expect(emulator.requestViolations.at(-1)).toMatchObject({
      operation: "GET /conversations.history",
      in: "arguments",
      field: "limit",
      code: "invalid",
    });
  });

  it("checks the token as its routes do, keeps unknown_method for undescribed methods, and rate-limits", async () => {
    await expect(client("xoxb-forged").team.info()).rejects.toMatchObject({
      data: { error: "invalid_auth" },
    });
    await expect(slack.apiCall("assistant.threads.setStatus", {})).rejects.toMatchObject({
      data: { error: "unknown_method" },
    });
    emulator.rateLimit(1, 60_000);
    await slack.emoji.list();
    await expect(slack.emoji.list()).rejects.toMatchObject({ code: "slack_webapi_rate_limited_error" });
    await emulator.clearFaults();
  });
});
