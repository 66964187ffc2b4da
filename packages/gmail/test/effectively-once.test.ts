import type { RunEvent } from "@autoflow/core";
import { expectDoneOnce, reconcileResults } from "@autoflow/core/testing";
import { DEFAULT_GMAIL_ADDRESS, GmailEmulator, ManualClock } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Gmail } from "../src/index";
import { gmailFor, rawMessage, runJob } from "./helpers";

// Sent once: Gmail keys nothing, so every send carries a Message-ID derived from the task's idempotency key. The
// answer is lost after Gmail handled the send (the connection reset before any byte of it, or held past the
// client's deadline); the runtime asks the reconciler first, which finds the message by `rfc822msgid:` and
// completes the task with it: one message in the mailbox, one send request. Through the real SDK over loopback.
// One clock for the emulator and the runner: the reconciler's look-again waits move the emulator's search index
// along with them, and no test waits on the wall clock for it.
const clock = new ManualClock(Date.now());
const emulator = new GmailEmulator({ clock });
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
// The runner sleeps on the shared clock (no real time), never waiting for a run that is not due.
const runnerClock = { now: () => clock.now(), sleep: (ms: number) => clock.sleep(ms) };

const lookups = () =>
  emulator.requests.filter((r) => r.path === "/gmail/v1/users/me/messages" && r.method === "GET").length;

async function run(send: SendCase, s: string, timeoutMs = 5_000) {
  const events: RunEvent[] = [];
  const before = emulator.requests.filter((r) => r.path === SEND).length;
  const gmail = gmailFor(emulator, token, timeoutMs, LAG_WINDOW_MS);
  const outcome = await runJob(gmail, (io) => send.call(io.gmail, s), {
    clock: runnerClock,
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
    const started = clock.now();
    const before = lookups();
    const outcome = await run(send, s);
    expect(outcome.result.status).toBe("completed");
    expect(sentWith(s)).toHaveLength(1);
    expect(outcome.sent).toBe(2);
    // A miss inside the window is looked at again once the window has passed; only then is the send repeated.
    expect(reconcileResults(outcome.events)).toEqual(["look-again", "not-found"]);
    expect(lookups() - before).toBe(2);
    expect(clock.now() - started).toBeGreaterThanOrEqual(LAG_WINDOW_MS);
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
    expect(reconcileResults(outcome.events)).toEqual(["look-again", "found"]);
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

describe("users.drafts", () => {
  const DRAFTS = "/gmail/v1/users/me/drafts";
  const DRAFT_SEND = "/gmail/v1/users/me/drafts/send";
  const mailbox = () => emulator.state.mailbox(DEFAULT_GMAIL_ADDRESS);
  const count = (path: string) =>
    emulator.requests.filter((r) => r.method === "POST" && r.path === path).length;

  async function runDrafts(body: (gmail: Gmail) => Promise<unknown>, timeoutMs = 5_000) {
    const events: RunEvent[] = [];
    const outcome = await runJob(
      gmailFor(emulator, token, timeoutMs, LAG_WINDOW_MS),
      (io) => body(io.gmail),
      {
        clock: runnerClock,
        maxInProcessWaitMs: Number.POSITIVE_INFINITY,
        onEvent: (event) => events.push(event),
      },
    );
    return { ...outcome, events };
  }

  const create = (g: Gmail, s: string) =>
    g.users.drafts.create("draft", {
      userId: "me",
      requestBody: { message: { raw: rawMessage({ subject: s }) } },
    });

  it.each(["reset", "hang"] as const)(
    "create: its answer lost (%s) after Gmail made the draft: found by its Message-ID (drafts.list), not made again",
    async (after) => {
      const s = subject();
      const before = count(DRAFTS);
      emulator.server.faults.loseAnswerNext(1, { method: "POST", path: DRAFTS }, after);
      const outcome = await runDrafts((g) => create(g, s), after === "hang" ? 300 : 5_000);
      const drafts = sentWith(s);
      expectDoneOnce(outcome, {
        reconciled: true,
        sideEffects: drafts.length,
        calls: count(DRAFTS) - before,
      });
      const [draftId] = [...mailbox().drafts.entries()].find(([, id]) => id === drafts[0]?.id) ?? [];
      expect(outcome.output).toMatchObject({ id: draftId, message: { id: drafts[0]?.id } });
      const lookup = emulator.requests.filter((r) => r.path === DRAFTS && r.method === "GET").at(-1);
      expect(lookup?.query.q).toMatch(/^rfc822msgid:af\.[0-9a-f]{32}@autoflow\.invalid$/);
    },
  );

  it("create: refused before Gmail acted, absent past the lag window, made once", async () => {
    const s = subject();
    const before = count(DRAFTS);
    emulator.server.faults.resetNext(1, { method: "POST", path: DRAFTS });
    const outcome = await runDrafts((g) => create(g, s));
    expect(outcome.result.status).toBe("completed");
    expect(reconcileResults(outcome.events)).toEqual(["look-again", "not-found"]);
    expect(sentWith(s)).toHaveLength(1);
    expect(count(DRAFTS) - before).toBe(2);
  });

  it("create: its answer lost while the search index lags: found on the later look, one draft", async () => {
    const s = subject();
    emulator.searchIndexLagMs = 300;
    emulator.server.faults.loseAnswerNext(1, { method: "POST", path: DRAFTS }, "reset");
    const outcome = await runDrafts((g) => create(g, s));
    expect(reconcileResults(outcome.events)).toEqual(["look-again", "found"]);
    expect(sentWith(s)).toHaveLength(1);
    expect(
      emulator.requests.filter((r) => r.path === DRAFTS && r.method === "GET").length,
    ).toBeGreaterThanOrEqual(2);
  });

  async function draftOf(s: string) {
    const { output } = await runDrafts((g) => create(g, s));
    return output as unknown as { id: string; message: { id: string } };
  }

  it.each(["reset", "hang"] as const)(
    "send: its answer lost (%s) after Gmail sent the draft: the draft is gone and its message is in SENT, not sent again",
    async (after) => {
      const s = subject();
      const draft = await draftOf(s);
      const before = count(DRAFT_SEND);
      emulator.server.faults.loseAnswerNext(1, { method: "POST", path: DRAFT_SEND }, after);
      const outcome = await runDrafts(
        (g) => g.users.drafts.send("send", { userId: "me", requestBody: { id: draft.id } }),
        after === "hang" ? 300 : 5_000,
      );
      const sent = sentWith(s).filter((m) => m.labelIds.includes("SENT"));
      expectDoneOnce(outcome, {
        reconciled: true,
        sideEffects: sent.length,
        calls: count(DRAFT_SEND) - before,
      });
      expect(outcome.output).toMatchObject({
        id: draft.message.id,
        labelIds: expect.arrayContaining(["SENT"]),
      });
      expect(mailbox().drafts.has(draft.id)).toBe(false);
    },
  );

  it("send: refused before Gmail acted: the draft is still there, so it is sent, once", async () => {
    const s = subject();
    const draft = await draftOf(s);
    const before = count(DRAFT_SEND);
    emulator.server.faults.resetNext(1, { method: "POST", path: DRAFT_SEND });
    const outcome = await runDrafts((g) =>
      g.users.drafts.send("send", { userId: "me", requestBody: { id: draft.id } }),
    );
    expect(outcome.result.status).toBe("completed");
    expect(reconcileResults(outcome.events)).toEqual(["not-found"]);
    expect(count(DRAFT_SEND) - before).toBe(2);
    expect(sentWith(s).filter((m) => m.labelIds.includes("SENT"))).toHaveLength(1);
  });
});
