import type { RunEvent } from "@autoflow/core";
import { createTestClock, expectDoneOnce, reconcileResults } from "@autoflow/core/testing";
import { DEFAULT_GMAIL_ADDRESS, GmailEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Gmail } from "../src/index";
import { gmailFor, rawMessage, runJob } from "./helpers";

// Sent once: Gmail keys nothing, so every send carries a Message-ID derived from the task's idempotency key. The
// answer is lost after Gmail handled the send (the connection reset before any byte of it, or held past the
// client's deadline); the runtime asks the reconciler first, which finds the message by `rfc822msgid:` and
// completes the task with it: one message in the mailbox, one send request. Through the real SDK over loopback.
const emulator = new GmailEmulator();
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterEach(async () => {
  emulator.searchIndexLagMs = 0;
  await emulator.clearFaults();
});
afterAll(() => emulator.stop());

const SEND = "/gmail/v1/users/me/messages/send";
let unique = 0;
const subject = () => `Invoice ${++unique}`;
const sentWith = (s: string) =>
  [...emulator.state.mailbox(DEFAULT_GMAIL_ADDRESS).messages.values()].filter((message) =>
    message.payload.headers.some((h) => h.name === "Subject" && h.value === s),
  );

interface SendCase {
  task: string;
  call: (gmail: Gmail, subject: string) => Promise<unknown>;
}

const sends: SendCase[] = [
  {
    task: "sendEmail",
    call: (g, s) => g.sendEmail("send", { to: "grace@example.com", subject: s, text: "Pay by Friday" }),
  },
  {
    task: "users.messages.send",
    call: (g, s) =>
      g.users.messages.send("send", { userId: "me", requestBody: { raw: rawMessage({ subject: s }) } }),
  },
];

// How long the reconcilers here wait for the search index before trusting a miss (Gmail's is 30 s).
const LAG_WINDOW_MS = 600;

const lookups = () =>
  emulator.requests.filter((r) => r.path === "/gmail/v1/users/me/messages" && r.method === "GET").length;

async function run(send: SendCase, s: string, timeoutMs = 5_000) {
  const events: RunEvent[] = [];
  const before = emulator.requests.filter((r) => r.path === SEND).length;
  const gmail = gmailFor(emulator, token, timeoutMs, LAG_WINDOW_MS);
  const outcome = await runJob(gmail, (io) => send.call(io.gmail, s), {
    clock: createTestClock(Date.now()),
    maxInProcessWaitMs: Number.POSITIVE_INFINITY,
    onEvent: (event) => events.push(event),
  });
  const sent = emulator.requests.filter((r) => r.path === SEND).length - before;
  return { ...outcome, events, sent };
}

describe.each(sends)("$task", (send) => {
  it.each(["reset", "hang"] as const)(
    "its answer lost (%s) after Gmail sent it: found by its Message-ID, not sent again",
    async (after) => {
      const s = subject();
      emulator.server.faults.loseAnswerNext(1, { method: "POST", path: SEND }, after);
      const outcome = await run(send, s, after === "hang" ? 300 : 5_000);
      const [message] = sentWith(s);
      expectDoneOnce(outcome, { reconciled: true, sideEffects: sentWith(s).length, calls: outcome.sent });
      expect(outcome.output).toMatchObject({ id: message?.id, threadId: message?.threadId });
      const lookup = emulator.requests.find(
        (r) => r.path === "/gmail/v1/users/me/messages" && r.method === "GET",
      );
      expect(lookup?.query.q).toMatch(/^rfc822msgid:af\.[0-9a-f]{32}@autoflow\.invalid$/);
    },
  );

  it("a send refused before Gmail acted (connection reset before handling) is looked up, absent past the lag window, and sent once", async () => {
    const s = subject();
    emulator.server.faults.resetNext(1, { method: "POST", path: SEND });
    const started = Date.now();
    const before = lookups();
    const outcome = await run(send, s);
    expect(outcome.result.status).toBe("completed");
    expect(sentWith(s)).toHaveLength(1);
    expect(outcome.sent).toBe(2);
    expect(reconcileResults(outcome.events)).toEqual(["not-found"]);
    // A miss inside the window is looked at again once the window has passed; only then is the send repeated.
    expect(lookups() - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LAG_WINDOW_MS - 50);
  });

  it("its answer lost while the search index lags: not found at first, found on the later look, not sent again", async () => {
    const s = subject();
    emulator.searchIndexLagMs = 300;
    emulator.server.faults.loseAnswerNext(1, { method: "POST", path: SEND }, "reset");
    const before = lookups();
    const outcome = await run(send, s);
    expectDoneOnce(outcome, { reconciled: true, sideEffects: sentWith(s).length, calls: outcome.sent });
    expect(outcome.sent).toBe(1);
    expect(lookups() - before).toBe(2);
    expect(reconcileResults(outcome.events)).toEqual(["found"]);
  });
});

describe("a replayed run", () => {
  it("sends with the same Message-ID each attempt (derived from the task's idempotency key)", async () => {
    const s = subject();
    emulator.server.faults.resetNext(1, { method: "POST", path: SEND });
    await run(sends[0] as SendCase, s);
    const ids = emulator.requests
      .filter((r) => r.path === SEND)
      .slice(-2)
      .map((r) => {
        const raw = (r.body as { raw: string }).raw;
        return /Message-ID: (<[^>]+>)/i.exec(Buffer.from(raw, "base64url").toString())?.[1];
      });
    expect(ids[0]).toMatch(/^<af\.[0-9a-f]{32}@autoflow\.invalid>$/);
    expect(ids[1]).toBe(ids[0]);
  });
});
