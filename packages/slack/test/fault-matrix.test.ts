import { IntegrationError, type RunEvent, retry } from "@autoflow/core";
import { createTestClock, type StandardFault } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runJob, slackFor } from "./helpers";

const emulator = new SlackEmulator();
let token: string;

beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterEach(() => emulator.clearFaults());
afterAll(() => emulator.stop());

type Expected = {
  type: IntegrationError["type"];
  retried: boolean;
  code?: string | RegExp;
  status?: number;
  retryAfterSeconds?: number;
  /** `outcome_unknown`: the request was sent and its answer is missing; the write (an undeclared `runTask`) is not repeated. */
  reason?: string;
};

const ATTEMPTS_WHEN_RETRIED = (retry.standardBackoff.limit ?? 0) + 1;

// Each standard fault in Slack's wire format, and how the package must classify it.
const cases: [StandardFault, string, Expected][] = [
  ["unauthorized", "ok:false invalid_auth", { type: "auth", retried: false, code: "invalid_auth" }],
  ["forbidden", "ok:false missing_scope", { type: "auth", retried: false, code: "missing_scope" }],
  ["not-found", "ok:false channel_not_found", { type: "schema", retried: false, code: "channel_not_found" }],
  [
    "invalid-input",
    "ok:false invalid_arguments",
    { type: "schema", retried: false, code: "invalid_arguments" },
  ],
  [
    "rate-limited",
    "429 + Retry-After: 30",
    { type: "rate-limit", retried: true, code: "ratelimited", status: 429, retryAfterSeconds: 30 },
  ],
  ["server-error", "HTTP 500", { type: "upstream", retried: true, status: 500 }],
  ["bad-gateway", "HTTP 502", { type: "upstream", retried: true, status: 502 }],
  ["unavailable", "HTTP 503", { type: "upstream", retried: true, status: 503 }],
  ["connection-refused", "refused", { type: "network", retried: true, code: "ECONNREFUSED" }],
  [
    "connection-reset",
    "reset mid-body",
    { type: "network", retried: false, code: /^(UND_ERR_SOCKET|ECONNRESET)$/, reason: "outcome_unknown" },
  ],
  [
    "timeout",
    "no answer",
    { type: "network", retried: false, code: "TimeoutError", reason: "outcome_unknown" },
  ],
  [
    "answer-lost",
    "posted, then reset",
    { type: "network", retried: false, code: /^(UND_ERR_SOCKET|ECONNRESET)$/, reason: "outcome_unknown" },
  ],
];

describe.each(cases)("fault %s (%s)", (fault, _wire, expected) => {
  it(`is ${expected.type}, ${expected.retried ? "retried" : "not retried"}, with Slack's code and retryAt`, async () => {
    await emulator.injectFault(fault);
    const start = Date.now();
    const clock = createTestClock(start);
    const events: RunEvent[] = [];
    const sent = () => emulator.requests.filter((r) => r.path === "/api/chat.postMessage").length;
    const before = sent();
    const { result, tasks } = await runJob(
      // Short only where the fault is the timeout: elsewhere a slow request on a loaded CI machine must not time out.
      slackFor(emulator, token, fault === "timeout" ? 200 : 5_000),
      // A plain `runTask`, a write that declares no safe repeat: an unknown outcome shows as it is classified
      // (the hand-written `chat.postMessage` reconciles it: test/effectively-once.test.ts).
      (io) =>
        io.slack.runTask("post", (client) =>
          client.chat.postMessage({ channel: "C01GENERAL", text: "fault matrix" }),
        ),
      { clock, maxInProcessWaitMs: Number.POSITIVE_INFINITY, onEvent: (e) => events.push(e) },
    );

    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    const error = result.error;
    expect(IntegrationError.isInstance(error)).toBe(true);
    expect(error.type).toBe(expected.type);
    expect(error.provider).toBe("slack");
    expect(error.retryable).toBe(expected.retried);
    if (typeof expected.code === "string") expect(error.code).toBe(expected.code);
    else if (expected.code) expect(error.code).toMatch(expected.code);
    if (expected.status !== undefined) expect(error.status).toBe(expected.status);
    expect(error.reason).toBe(expected.reason);
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(tasks)).not.toContain(token);

    const attempts = expected.retried ? ATTEMPTS_WHEN_RETRIED : 1;
    expect(tasks[0]?.attempts).toBe(attempts);
    // The SDK's own retries are off: every attempt is exactly one request (none reach a refused port).
    expect(sent() - before).toBe(fault === "connection-refused" ? 0 : attempts);

    const retries = events.filter((e) => e.type === "task.retrying");
    expect(retries).toHaveLength(attempts - 1);
    const first = retries[0];
    if (first?.type !== "task.retrying") return;
    if (expected.retryAfterSeconds !== undefined) {
      // The runtime retries at the time Slack named, not at its own backoff.
      expect(first.error.retryAt).toBe(first.retryAt);
      expect(Math.abs(Date.parse(first.retryAt) - (start + expected.retryAfterSeconds * 1000))).toBeLessThan(
        2_000,
      );
      expect(clock.sleeps[0]).toBeGreaterThan((expected.retryAfterSeconds - 2) * 1000);
    } else {
      expect(first.error.retryAt).toBeUndefined();
      expect(Date.parse(first.retryAt) - start).toBeLessThanOrEqual(
        retry.standardBackoff.minTimeoutInMs + 1_000,
      );
    }
  });
});
