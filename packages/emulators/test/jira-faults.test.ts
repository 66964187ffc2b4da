import { STANDARD_FAULT_NAMES } from "@autoflow/core/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { JiraEmulator, ManualClock } from "../src/index";

const clock = new ManualClock(Date.UTC(2026, 11, 6, 20, 0, 0));
const emulator = new JiraEmulator({ clock });
let basic = "";

beforeAll(async () => {
  await emulator.start();
  const token = emulator.mintApiToken();
  basic = `Basic ${Buffer.from(`${token.email}:${token.apiToken}`).toString("base64")}`;
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const myself = () =>
  fetch(`${emulator.siteUrl}/rest/api/3/myself`, {
    headers: { authorization: basic },
    signal: AbortSignal.timeout(1000),
  });

/** The status (or transport failure) each standard fault answers with. */
const EXPECTED: Record<string, number | "network"> = {
  unauthorized: 401,
  forbidden: 403,
  "not-found": 404,
  "invalid-input": 400,
  "rate-limited": 429,
  "server-error": 500,
  "bad-gateway": 502,
  unavailable: 503,
  "connection-refused": "network",
  "connection-reset": "network",
  timeout: "network",
  "answer-lost": "network",
};

describe("the Jira emulator's faults", () => {
  it.each(STANDARD_FAULT_NAMES)("%s answers as Jira does, until cleared", async (fault) => {
    await emulator.injectFault(fault);
    // The whole body is read: a reset mid-body fails only then.
    const answer = await myself()
      .then(async (r) => {
        await r.clone().text();
        return r;
      })
      .catch(() => "network" as const);
    const expected = EXPECTED[fault];
    if (expected === "network") expect(answer).toBe("network");
    else {
      expect(answer === "network" ? answer : answer.status).toBe(expected);
      if (answer !== "network" && [400, 403, 404].includes(expected as number)) {
        expect(await answer.json()).toEqual({ errorMessages: expect.any(Array), errors: expect.any(Object) });
      }
    }
    await emulator.clearFaults();
    expect((await myself()).status).toBe(200);
  });

  it("answers a rate limit with Retry-After, X-RateLimit-Reset (ISO) and RateLimit-Reason", async () => {
    await emulator.injectFault("rate-limited");
    const response = await myself();
    expect(response.headers.get("retry-after")).toBe("30");
    expect(response.headers.get("x-ratelimit-reset")).toBe(new Date(clock.now() + 30_000).toISOString());
    expect(response.headers.get("ratelimit-reason")).toEqual(expect.any(String));
    await emulator.clearFaults();
    emulator.rateLimit(1, 60_000);
    expect((await myself()).status).toBe(200);
    const limited = await myself();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    clock.advance(60_000);
    expect((await myself()).status).toBe(200);
  });

  it("answer-lost: the issue is created, the answer never arrives", async () => {
    await emulator.injectFault("answer-lost");
    const sent = await fetch(`${emulator.siteUrl}/rest/api/3/issue`, {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/json" },
      body: JSON.stringify({
        fields: { project: { key: "OPS" }, issuetype: { name: "Task" }, summary: "lost" },
      }),
    }).then(
      () => "answered",
      () => "lost",
    );
    expect(sent).toBe("lost");
    await emulator.clearFaults();
    expect(emulator.issue("OPS-1")?.summary).toBe("lost");
  });
});
