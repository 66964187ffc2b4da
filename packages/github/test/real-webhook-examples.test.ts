import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { catalogueHarness } from "@autoflow/actions/testing";
import {
  defineJob,
  type Job,
  JobRunner,
  MemoryTaskStore,
  MemoryWebhookInbox,
  nodeWebhookHandler,
  TriggerDispatcher,
  type WebhookTrigger,
} from "@autoflow/core";
import { sign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGithubWebhookVerifier, Github } from "../src/index";
import { githubProvider } from "../src/provider";

// GitHub's own published example payloads (`@octokit/webhooks-examples`, one per event and action, committed by
// the emulators' `specs:update`), not the emulator's: signed as GitHub signs them, posted as JSON and as a form
// (a hook's two content types) to core's intake over loopback, dispatched to jobs through the triggers. A payload
// shape GitHub really sends that the intake, a trigger's filter or a catalogue payload schema does not take fails
// here, whatever the emulator sends.
type Payload = Record<string, unknown> & { action?: string; repository?: { full_name?: string } };
const EXAMPLES_FILE = new URL("../../emulators/specs/github/webhook-examples.json", import.meta.url);
const { examples } = JSON.parse(readFileSync(EXAMPLES_FILE, "utf8")) as {
  examples: Record<string, Payload[]>;
};

const SECRET = "real-examples-hook-secret";
const HELLO = { owner: "Codertocat", repo: "Hello-World" };
const all = Object.entries(examples).flatMap(([event, payloads]) =>
  payloads.map((payload) => ({ event, payload })),
);

const github = new Github({ id: "github", token: "ghp_unused_for_webhook_triggers_000" });
const seen = new Map<string, Payload[]>();
/** A job that records every payload its trigger lets through, under its own id. */
const recording = (id: string, trigger: WebhookTrigger<unknown>): Job =>
  defineJob({
    id,
    trigger,
    run: async (payload) => {
      seen.set(id, [...(seen.get(id) ?? []), payload as Payload]);
    },
  }) as Job;
const jobs = [
  recording("issue-opened", github.onIssueOpened(HELLO) as WebhookTrigger<unknown>),
  recording("every-issue-event", github.onEvent("issues") as WebhookTrigger<unknown>),
  recording("pull-request", github.onPullRequest(HELLO) as WebhookTrigger<unknown>),
  recording("push", github.onPush(HELLO) as WebhookTrigger<unknown>),
  recording("issue-comment", github.onEvent("issue_comment", HELLO) as WebhookTrigger<unknown>),
  recording(
    "star-deleted",
    github.onEvent("star", { ...HELLO, action: "deleted" }) as WebhookTrigger<unknown>,
  ),
];

const inbox = new MemoryWebhookInbox();
let server: Server;
let url: string;
let statuses: number[] = [];
let accepted: Payload[] = [];

async function post(event: string, text: string, contentType: string, deliveryId: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": await sign(SECRET, text),
    },
    body: text,
  });
  return response.status;
}

beforeAll(async () => {
  server = createServer(
    nodeWebhookHandler({ verifier: createGithubWebhookVerifier({ secrets: [SECRET] }), inbox }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/github`;
  statuses = [];
  for (const [i, { event, payload }] of all.entries()) {
    const json = JSON.stringify(payload);
    statuses.push(await post(event, json, "application/json", `json-${i}`));
    statuses.push(
      await post(
        event,
        new URLSearchParams({ payload: json }).toString(),
        "application/x-www-form-urlencoded",
        `form-${i}`,
      ),
    );
  }
  accepted = (await inbox.pending(10_000)).map((delivery) => delivery.payload as Payload);
  await new TriggerDispatcher({
    inbox,
    runner: new JobRunner({ store: new MemoryTaskStore() }),
    jobs,
  }).dispatchPending();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The examples of `event` that `keep` selects, each twice (its JSON and its form delivery). */
const expected = (event: string, keep: (payload: Payload) => boolean = () => true) =>
  (examples[event] ?? []).filter(keep).flatMap((payload) => [payload, payload]);
/** Payloads as sorted digests: order-free comparison, and a failure that prints short lines, not 800 KB. */
const sorted = (payloads: Payload[] = []) =>
  payloads
    .map((payload) => createHash("sha256").update(JSON.stringify(payload)).digest("hex").slice(0, 16))
    .sort();
const inHello = (payload: Payload) => payload.repository?.full_name === "Codertocat/Hello-World";

describe("GitHub's published example payloads through the intake and the triggers", () => {
  it("holds the events the triggers serve, with several actions each", () => {
    expect(Object.keys(examples).sort()).toEqual([
      "issue_comment",
      "issues",
      "ping",
      "pull_request",
      "push",
      "star",
    ]);
    expect(examples.issues?.length).toBeGreaterThanOrEqual(10);
    expect(examples.pull_request?.length).toBeGreaterThanOrEqual(10);
  });

  it("accepts every example, JSON and form-encoded, into the inbox as the same payload", async () => {
    expect(statuses).toEqual(all.flatMap(() => [200, 200]));
    // One delivery per post (pings too: the dispatcher, not the intake, drops what no trigger wants), unchanged.
    expect(sorted(accepted)).toEqual(sorted(all.flatMap(({ payload }) => [payload, payload])));
  });

  it("runs each job for exactly the examples its trigger selects, with GitHub's payload unchanged", () => {
    expect(sorted(seen.get("issue-opened"))).toEqual(
      sorted(expected("issues", (p) => p.action === "opened" && inHello(p))),
    );
    expect(sorted(seen.get("every-issue-event"))).toEqual(sorted(expected("issues")));
    expect(sorted(seen.get("pull-request"))).toEqual(sorted(expected("pull_request", inHello)));
    expect(sorted(seen.get("push"))).toEqual(sorted(expected("push", inHello)));
    expect(sorted(seen.get("issue-comment"))).toEqual(sorted(expected("issue_comment", inHello)));
    expect(sorted(seen.get("star-deleted"))).toEqual(
      sorted(expected("star", (p) => p.action === "deleted" && inHello(p))),
    );
    // Not vacuous: the filters let real payloads through.
    expect(seen.get("issue-opened")?.length).toBeGreaterThan(0);
    expect(seen.get("push")?.length).toBe(2 * (examples.push?.length ?? 0));
  });

  it("every example a catalogue trigger matches fits that trigger's payload schema", () => {
    const { payloadSchemaOf } = catalogueHarness(githubProvider.triggers);
    const cases = [
      { key: "github.issueOpened", payloads: expected("issues", (p) => p.action === "opened") },
      { key: "github.push", payloads: expected("push") },
      { key: "github.pullRequest", payloads: expected("pull_request") },
    ];
    for (const { key, payloads } of cases) {
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads) {
        const parsed = payloadSchemaOf(key).safeParse(payload);
        expect(parsed.success ? "fits" : `${key}: ${parsed.error.message}`).toBe("fits");
      }
    }
  });
});
