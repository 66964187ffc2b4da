import { randomUUID } from "node:crypto";
import { LogLevel, WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../src/index";

// The `answer-lost` fault: the provider does what was asked (its state changes), and then the answer never
// reaches the client. Driven through the real SDK over HTTP: the client sees a transport failure, while the
// write is there exactly once.

describe("answer-lost on the Slack emulator", () => {
  const emulator = new SlackEmulator();
  let client: WebClient;
  beforeAll(async () => {
    await emulator.start();
    client = new WebClient(emulator.mintToken(), {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
  });
  afterEach(() => emulator.clearFaults());
  afterAll(() => emulator.stop());

  it("posts the message, then resets the connection before any byte of the answer", async () => {
    const text = `answer-lost ${randomUUID()}`;
    await emulator.injectFault("answer-lost");
    await expect(client.chat.postMessage({ channel: "C01GENERAL", text })).rejects.toMatchObject({
      code: "slack_webapi_request_error",
    });
    expect(emulator.requests.at(-1)).toMatchObject({ path: "/api/chat.postMessage", outcome: "answer-lost" });

    await emulator.clearFaults();
    const history = await client.conversations.history({ channel: "C01GENERAL", limit: 200 });
    expect(history.messages?.filter((message) => message.text === text)).toHaveLength(1);
  });
});
