import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, SlackEmulator } from "../src/index";

const START = Date.UTC(2030, 5, 1, 12, 0, 0);
const START_SECONDS = START / 1000;
const HOUR_MS = 3_600_000;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function startedSlack(options: ConstructorParameters<typeof SlackEmulator>[0]): Promise<SlackEmulator> {
  const slack = new SlackEmulator(options);
  await slack.start();
  stops.push(() => slack.stop());
  return slack;
}

async function slackCall(
  slack: SlackEmulator,
  token: string,
  method: string,
  args: Record<string, string> = {},
) {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${token}` },
    body: new URLSearchParams(args),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("Slack emulator on a manual clock", () => {
  it("keeps a rate-limit window shut until the clock is advanced past it", async () => {
    const clock = new ManualClock(START);
    const slack = await startedSlack({ clock });
    const token = slack.mintToken();
    slack.rateLimit(1, 30_000);

    expect((await slackCall(slack, token, "auth.test")).status).toBe(200);
    const refused = await slackCall(slack, token, "auth.test");
    expect(refused).toMatchObject({
      status: 429,
      retryAfter: "30",
      body: { ok: false, error: "ratelimited" },
    });

    clock.advance(29_000);
    expect(await slackCall(slack, token, "auth.test")).toMatchObject({ status: 429, retryAfter: "1" });
    clock.advance(1_000);
    expect((await slackCall(slack, token, "auth.test")).status).toBe(200);
  });

  it("stamps messages with the clock's time and expires rotating tokens when the clock says so", async () => {
    const clock = new ManualClock(START);
    const slack = await startedSlack({ clock, tokenRotation: true });
    const token = slack.mintToken();

    const posted = await slackCall(slack, token, "chat.postMessage", { channel: "general", text: "hi" });
    expect(String(posted.body.ts)).toMatch(new RegExp(`^${START_SECONDS}\\.\\d{6}$`));

    // Rotating tokens live 12 hours: one second short they work, at 12 hours they are expired.
    clock.advance(12 * HOUR_MS - 1_000);
    expect((await slackCall(slack, token, "auth.test")).body).toMatchObject({ ok: true });
    clock.advance(1_000);
    expect((await slackCall(slack, token, "auth.test")).body).toEqual({ ok: false, error: "token_expired" });
  });

  it("signs events with the clock's time, so a verifier given the same clock accepts them", async () => {
    const clock = new ManualClock(START);
    const slack = await startedSlack({ clock });
    const secret = "clock-test-signing-secret";
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        received.push({ headers: req.headers, body });
        const parsed = JSON.parse(body) as { challenge?: string };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ challenge: parsed.challenge }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    stops.push(() => new Promise((resolve) => receiver.close(() => resolve())));
    const requestUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack/events`;

    expect((await slack.configureEvents({ requestUrl, signingSecret: secret })).verified).toBe(true);
    clock.advance(90_000);
    slack.userSays("general", "hello");
    await slack.awaitEvents();

    const [challenge, event] = received;
    expect(challenge?.headers["x-slack-request-timestamp"]).toBe(String(START_SECONDS));
    expect(event?.headers["x-slack-request-timestamp"]).toBe(String(START_SECONDS + 90));
    expect(JSON.parse(event?.body ?? "{}")).toMatchObject({ event_time: START_SECONDS + 90 });
    // The signature covers the clock's timestamp: a verifier whose `now` is the same clock finds it fresh.
    const timestamp = Number(event?.headers["x-slack-request-timestamp"]);
    const expected = createHmac("sha256", secret).update(`v0:${timestamp}:${event?.body}`).digest("hex");
    expect(event?.headers["x-slack-signature"]).toBe(`v0=${expected}`);
    expect(Math.abs(clock.now() / 1000 - timestamp)).toBeLessThanOrEqual(300);
  });

  it("still honours the older `now` option", async () => {
    const slack = await startedSlack({ now: () => START });
    const posted = await slackCall(slack, slack.mintToken(), "chat.postMessage", {
      channel: "general",
      text: "x",
    });
    expect(String(posted.body.ts).split(".")[0]).toBe(String(START_SECONDS));
  });
});
