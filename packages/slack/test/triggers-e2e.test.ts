import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createWebhookHandler,
  defineJob,
  type Job,
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  type RunResult,
  TriggerDispatcher,
} from "@autoflow/core";
import { SlackEmulator } from "@autoflow/emulators";
import { afterEach, describe, expect, it } from "vitest";
import { createSlackWebhookVerifier, type Slack } from "../src/index";
import { slackFor } from "./helpers";

const SIGNING_SECRET = "e2e-slack-signing-secret";

/**
 * The whole path over loopback: the Slack emulator POSTs signed events to core's webhook handler on
 * a node:http server, which writes them to the inbox and answers; the dispatcher then runs the jobs.
 */
async function setup(makeJobs: (slack: Slack) => Job[]) {
  const emulator = new SlackEmulator();
  await emulator.start();
  const slack = slackFor(emulator, emulator.mintToken());
  const inbox = new MemoryWebhookInbox();
  const runs: { jobId: string; result: RunResult<unknown> }[] = [];
  const dispatcher = new TriggerDispatcher({
    inbox,
    runner: new JobRunner({ store: new MemoryTaskStore() }),
    jobs: makeJobs(slack),
    onRun: (job, result) => runs.push({ jobId: job.id, result }),
  });
  const dispatches: Promise<number>[] = [];
  const handler = createWebhookHandler({
    verifier: createSlackWebhookVerifier({ signingSecrets: [SIGNING_SECRET] }),
    inbox,
    // Not awaited: the answer goes out as soon as the delivery is in the inbox.
    onAccepted: () => dispatches.push(dispatcher.dispatchPending()),
  });
  const server: Server = createServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/api/webhooks/slack") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const requestUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/slack`;
  const subscription = await emulator.configureEvents({
    requestUrl,
    signingSecret: SIGNING_SECRET,
    retryDelaysMs: [10, 10, 10],
  });

  /** Waits until every event is answered and every run it started has finished, including events those runs caused. */
  async function settle() {
    for (;;) {
      const seen = emulator.events.length + dispatches.length;
      await emulator.awaitEvents();
      await Promise.all(dispatches);
      if (emulator.events.length + dispatches.length === seen) return;
    }
  }
  const runsOf = (jobId: string) => runs.filter((r) => r.jobId === jobId);
  cleanups.push(async () => {
    await emulator.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { emulator, slack, inbox, runs, runsOf, settle, subscription };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Replies in the channel: the reply is itself a message event, which must not start the job again. */
const echoJob = (slack: Slack) =>
  defineJob({
    id: "echo",
    integrations: { slack },
    trigger: slack.onMessage({ channel: "C01GENERAL" }),
    run: async ({ event }, io) => {
      await io.slack.chat.postMessage("echo", { channel: event.channel, text: `echo: ${event.text ?? ""}` });
      return event.text ?? "";
    },
  });

const outputs = (runs: { result: RunResult<unknown> }[]) =>
  runs.map(({ result }) => (result.status === "completed" ? result.output : result.status));

describe("Slack triggers end to end (emulator -> webhook handler -> inbox -> dispatcher -> job)", () => {
  it("answers Slack's url_verification through the handler, so the request URL is verified", async () => {
    const { subscription } = await setup((slack) => [echoJob(slack)]);
    expect(subscription.verified).toBe(true);
  });

  it("onMessage runs once per person's message in #general; its own replies and other channels start nothing", async () => {
    const { emulator, runsOf, settle } = await setup((slack) => [echoJob(slack)]);
    // A channel the bot is in, so Slack does send its messages: the trigger's channel filter must drop them.
    emulator.workspace.addChannel("C01DEV0000", "dev", "U0001", ["U0001", "U0002", "U0BOT"]);
    emulator.userSays("C01GENERAL", "first", "U0002");
    emulator.userSays("C01DEV0000", "elsewhere", "U0002");
    emulator.userSays("C01GENERAL", "second", "U0003");
    await settle();

    // Slack's deliveries race one another, so the order of the runs is not asserted.
    expect(outputs(runsOf("echo")).sort()).toEqual(["first", "second"]);
    // The bot's two replies were delivered (and answered 200), but started no run.
    const botEvents = emulator.events.filter((e) => e.envelope.event.bot_id === "B01AUTOFLOW");
    expect(botEvents.map((e) => [e.envelope.event.text, e.status]).sort()).toEqual([
      ["echo: first", 200],
      ["echo: second", 200],
    ]);
    expect(emulator.events.find((e) => e.envelope.event.channel === "C01DEV0000")?.status).toBe(200);
    expect(
      emulator
        .history("C01GENERAL")
        .map((m) => m.text)
        .sort(),
    ).toEqual(["echo: first", "echo: second", "first", "second"]);
  });

  it("onReactionAdded runs for the reaction it filters on, and onAppMention for a mention", async () => {
    const { emulator, runsOf, settle } = await setup((slack) => [
      defineJob({
        id: "triage",
        trigger: slack.onReactionAdded({ channel: "C01GENERAL", reaction: "eyes" }),
        run: async ({ event, eventId }) =>
          `${event.user} ${event.reaction} ${event.item.ts} ${eventId.slice(0, 2)}`,
      }),
      defineJob({
        id: "mentioned",
        trigger: slack.onAppMention({ channel: "C01GENERAL" }),
        run: async ({ event, teamId }) => `${teamId}: ${event.text}`,
      }),
    ]);
    const said = emulator.userSays("C01GENERAL", "anyone?", "U0002");
    emulator.userReacts("C01GENERAL", said.ts, "eyes", "U0003");
    emulator.userReacts("C01GENERAL", said.ts, "tada", "U0003");
    emulator.userSays("C01GENERAL", "<@U0BOT> summarize this", "U0002");
    await settle();

    expect(outputs(runsOf("triage"))).toEqual([`U0003 eyes ${said.ts} Ev`]);
    expect(outputs(runsOf("mentioned"))).toEqual(["T01ACME000: <@U0BOT> summarize this"]);
  });

  it("a redelivered event (same event_id, X-Slack-Retry-Num) is acknowledged and runs once", async () => {
    const { emulator, inbox, runsOf, settle } = await setup((slack) => [echoJob(slack)]);
    emulator.userSays("C01GENERAL", "only once", "U0002");
    await settle();
    const eventId = emulator.events[0]?.eventId ?? "";
    const retries = await emulator.redeliverEvent(eventId, 3);
    await settle();

    expect(retries.map((r) => [r.status, JSON.parse(r.body ?? "{}")])).toEqual([
      [200, { ok: true, duplicate: true }],
      [200, { ok: true, duplicate: true }],
      [200, { ok: true, duplicate: true }],
    ]);
    expect(outputs(runsOf("echo"))).toEqual(["only once"]);
    expect(await inbox.pending()).toEqual([]);
  });

  it("answers within Slack's 3 s budget while the job is still running", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    const { emulator, runsOf, settle } = await setup((slack) => [
      defineJob({
        id: "slow",
        integrations: { slack },
        trigger: slack.onMessage({ channel: "C01GENERAL" }),
        run: async (_payload, io) => {
          await io.runTask("slow-work", async () => gate);
          finished = true;
          return "done";
        },
      }),
    ]);
    emulator.userSays("C01GENERAL", "take your time", "U0002");
    await emulator.awaitEvents();

    // The answer is in (one attempt, 2xx inside Slack's 3 s timeout, so no retry) and the job is not done.
    expect(emulator.events[0]?.attempts.map((a) => [a.outcome, a.status])).toEqual([["ok", 200]]);
    expect(finished).toBe(false);
    release();
    await settle();
    expect(finished).toBe(true);
    expect(outputs(runsOf("slow"))).toEqual(["done"]);
  });

  it("refuses a bad or missing signature and a stale timestamp with 401, and runs nothing", async () => {
    const { emulator, inbox, runs, runsOf, settle } = await setup((slack) => [echoJob(slack)]);
    const event = {
      type: "message",
      channel: "C01GENERAL",
      user: "U0002",
      text: "forged",
      ts: "1700000000.000001",
    };
    const bad = await emulator.sendEvent({ event, signature: "bad" });
    const missing = await emulator.sendEvent({ event, signature: "missing" });
    const stale = await emulator.sendEvent({ event, timestamp: Math.floor(Date.now() / 1000) - 360 });
    await settle();
    expect([bad, missing, stale].map((a) => [a.status, JSON.parse(a.body ?? "{}").error])).toEqual([
      [401, "bad_signature"],
      [401, "missing_signature"],
      [401, "stale_timestamp"],
    ]);
    expect(runs).toEqual([]);
    expect(await inbox.pending()).toEqual([]);

    // The same event, properly signed, does run: what was refused was the signature, not the event.
    const good = await emulator.sendEvent({ event: { ...event, text: "genuine" } });
    await settle();
    expect(good.status).toBe(200);
    expect(outputs(runsOf("echo"))).toEqual(["genuine"]);
  });
});
