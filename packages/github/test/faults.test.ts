import type { IntegrationErrorType, RunEvent } from "@autoflow/core";
import { createTestClock } from "@autoflow/core/testing";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REPO, runWithGithub } from "./__fixtures__/harness";

// The fault matrix: GitHub's failures, as the emulator answers them, through Octokit and the runtime. The call is
// `issues.create` in a plain `runTask`, a write that declares no safe repeat, so an unknown outcome shows as it is
// classified (the hand-written task reconciles it: test/effectively-once.test.ts).
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());
afterEach(() => emulator.clearFaults());

type Case = {
  fault: string;
  inject: () => unknown;
  type: IntegrationErrorType;
  status?: number;
  code?: RegExp;
  /** `outcome_unknown`: the request was sent and its answer is missing, so the write (an undeclared `runTask`) is not retried. */
  reason?: string;
  /** Expected `retryAt` of the first retry, in ms from now (or an exact epoch ms), when GitHub said when. */
  retryAt?: { inMs: number } | { atMs: () => number };
};

let primaryReset = 0;

const cases: Case[] = [
  {
    fault: "401 bad credentials",
    inject: () => emulator.injectFault("unauthorized"),
    type: "auth",
    status: 401,
  },
  { fault: "403 missing scope", inject: () => emulator.injectFault("forbidden"), type: "auth", status: 403 },
  { fault: "404 not found", inject: () => emulator.injectFault("not-found"), type: "schema", status: 404 },
  {
    fault: "422 validation failed",
    inject: () => emulator.injectFault("invalid-input"),
    type: "schema",
    status: 422,
    code: /^missing_field$/,
  },
  {
    fault: "429 secondary limit + retry-after",
    inject: () => emulator.injectFault("rate-limited"),
    type: "rate-limit",
    status: 429,
    retryAt: { inMs: 30_000 },
  },
  {
    fault: "403 secondary limit without retry-after (wait a minute)",
    inject: () =>
      emulator.server.faults.failNext(Number.MAX_SAFE_INTEGER, {
        status: 403,
        body: {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        },
      }),
    type: "rate-limit",
    status: 403,
    retryAt: { inMs: 60_000 },
  },
  {
    fault: "403 primary limit, x-ratelimit-remaining 0",
    inject: () => {
      primaryReset = emulator.primaryRateLimit({ resetInSeconds: 120 }).resetEpochSeconds;
    },
    type: "rate-limit",
    status: 403,
    retryAt: { atMs: () => primaryReset * 1000 },
  },
  {
    fault: "500 server error",
    inject: () => emulator.injectFault("server-error"),
    type: "upstream",
    status: 500,
  },
  {
    fault: "502 bad gateway (HTML)",
    inject: () => emulator.injectFault("bad-gateway"),
    type: "upstream",
    status: 502,
  },
  {
    fault: "503 unavailable",
    inject: () => emulator.injectFault("unavailable"),
    type: "upstream",
    status: 503,
  },
  {
    fault: "connection refused",
    inject: () => emulator.injectFault("connection-refused"),
    type: "network",
    code: /^ECONNREFUSED$/,
  },
  {
    fault: "connection reset mid-body",
    inject: () => emulator.injectFault("connection-reset"),
    type: "network",
    code: /^(UND_ERR_SOCKET|ECONNRESET)$/,
    reason: "outcome_unknown",
  },
  {
    fault: "timeout",
    inject: () => emulator.injectFault("timeout"),
    type: "network",
    code: /^TimeoutError$/,
    reason: "outcome_unknown",
  },
  {
    fault: "answer lost after the issue was created",
    inject: () => emulator.injectFault("answer-lost"),
    type: "network",
    code: /^(UND_ERR_SOCKET|ECONNRESET)$/,
    reason: "outcome_unknown",
  },
];

describe.each(cases)("$fault", ({ fault, inject, type, status, code, reason, retryAt }) => {
  const retryable =
    reason === undefined && (type === "rate-limit" || type === "network" || type === "upstream");

  it(`is ${type}, ${retryable ? "retried" : "not retried"}${retryAt ? ", at the time GitHub named" : ""}`, async () => {
    await inject();
    const events: RunEvent[] = [];
    const startedAt = Date.now();
    const { result, store, runId } = await runWithGithub(
      emulator,
      (github) =>
        github.runTask(
          "create",
          async (client) => (await client.rest.issues.create({ ...REPO, title: "Under fault" })).data,
        ),
      {
        // Short only where the fault is the timeout: elsewhere a slow first request on a loaded CI machine must not time out.
        github: { timeoutMs: fault === "timeout" ? 150 : 5_000 },
        runner: {
          clock: createTestClock(startedAt),
          maxInProcessWaitMs: Number.POSITIVE_INFINITY,
          onEvent: (event) => events.push(event),
        },
      },
    );

    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.error).toMatchObject({ type, provider: "github", retryable });
    if (status !== undefined) expect(result.error.status).toBe(status);
    if (code) expect(result.error.code).toMatch(code);
    expect(result.error.reason).toBe(reason);

    const retries = events.filter(
      (e): e is Extract<RunEvent, { type: "task.retrying" }> => e.type === "task.retrying",
    );
    const [task] = (await store.loadRun(runId))?.tasks ?? [];
    // standardBackoff: 8 retries after the first attempt; auth and schema fail on the first.
    expect(retries).toHaveLength(retryable ? 8 : 0);
    expect(task?.attempts).toBe(retryable ? 9 : 1);

    const first = retries[0];
    if (retryAt && first) {
      const at = Date.parse(first.retryAt);
      if ("atMs" in retryAt) expect(at).toBe(retryAt.atMs());
      else expect(Math.abs(at - startedAt - retryAt.inMs)).toBeLessThan(5_000);
      expect(first.error.retryAt).toBe(first.retryAt);
    }
  });
});

describe("an issue whose answer is lost", () => {
  it("is created once: an undeclared write fails with outcome_unknown and says what to check", async () => {
    const before = emulator.state.repo("octo-org", "hello")?.issues.length ?? 0;
    await emulator.injectFault("answer-lost");
    const { result } = await runWithGithub(
      emulator,
      (github) =>
        github.runTask(
          "create",
          async (client) => (await client.rest.issues.create({ ...REPO, title: "Answer lost" })).data,
        ),
      { runner: { clock: createTestClock(Date.now()), maxInProcessWaitMs: Number.POSITIVE_INFINITY } },
    );
    expect(result).toMatchObject({ status: "failed", error: { reason: "outcome_unknown" } });
    if (result.status === "failed") expect(result.error.message).toMatch(/Check whether it happened/);
    expect(emulator.state.repo("octo-org", "hello")?.issues.length).toBe(before + 1);
  });

  it("is created once by issues.create, which finds it by its marker and completes", async () => {
    const before = emulator.state.repo("octo-org", "hello")?.issues.length ?? 0;
    // Only the create's answer is lost: the reconciler's lookup is answered.
    emulator.server.faults.loseAnswerNext(1, { method: "POST" });
    const { result } = await runWithGithub(
      emulator,
      (github) => github.issues.create("create", { ...REPO, title: "Answer lost, reconciled" }),
      { runner: { clock: createTestClock(Date.now()), maxInProcessWaitMs: Number.POSITIVE_INFINITY } },
    );
    expect(result).toMatchObject({ status: "completed", output: { title: "Answer lost, reconciled" } });
    expect(emulator.state.repo("octo-org", "hello")?.issues.length).toBe(before + 1);
  });
});

describe("retries that succeed", () => {
  it("creates the issue once when the first attempt hits a 502 and the second succeeds", async () => {
    emulator.server.faults.failNext(1, { status: 502, body: "Bad Gateway" });
    const before = emulator.state.repo("octo-org", "hello")?.issues.length ?? 0;
    const { result } = await runWithGithub(
      emulator,
      (github) => github.issues.create("create", { ...REPO, title: "After a 502" }),
      { runner: { clock: createTestClock(Date.now()), maxInProcessWaitMs: Number.POSITIVE_INFINITY } },
    );
    expect(result).toMatchObject({ status: "completed", output: { title: "After a 502" } });
    expect(emulator.state.repo("octo-org", "hello")?.issues.length).toBe(before + 1);
  });
});
