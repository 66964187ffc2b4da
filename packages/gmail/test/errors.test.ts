import { GmailEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGmailClient, GMAIL_RATE_LIMIT_MESSAGE, toGmailError } from "../src/index";
import { gmailFor, runJob } from "./helpers";

// Gmail's error table over what the real SDK (gaxios) throws for Google's JSON errors from the emulator.
const emulator = new GmailEmulator();
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterEach(() => emulator.clearFaults());
afterAll(() => emulator.stop());

function googleError(status: number, reason: string, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: { error: { code: status, message: `${reason} happened`, errors: [{ reason, domain: "global" }] } },
  };
}

/** The time the table dates waits from (no wall clock). */
const NOW = 1_800_000_000_000;

/** What the real SDK throws for `response`, read by the error table. */
async function failWith(response: ReturnType<typeof googleError>) {
  emulator.server.faults.failNext(1, response);
  const client = createGmailClient(token, { apiBaseUrl: emulator.apiUrl, timeoutMs: 5_000 });
  const thrown = await client.users.getProfile({ userId: "me" }).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (thrown === undefined) throw new Error("expected the SDK to throw");
  return toGmailError(thrown, NOW);
}

describe("toGmailError", () => {
  it.each([
    [403, "rateLimitExceeded", "rate-limit"],
    [403, "userRateLimitExceeded", "rate-limit"],
    [429, "rateLimitExceeded", "rate-limit"],
    [403, "insufficientPermissions", "auth"],
    [401, "authError", "auth"],
    [400, "failedPrecondition", "schema"],
    [400, "invalidArgument", "schema"],
    [404, "notFound", "schema"],
    [500, "backendError", "upstream"],
    [503, "backendError", "upstream"],
  ] as const)("%i %s is %s, with Google's reason as its code", async (status, reason, type) => {
    const error = await failWith(googleError(status, reason));
    expect(error).toMatchObject({ type, code: reason, status, provider: "gmail" });
  });

  it("a rate limit without Retry-After still names a wait; with one, that wait", async () => {
    const bare = await failWith(googleError(403, "userRateLimitExceeded"));
    expect(bare.message).toContain(GMAIL_RATE_LIMIT_MESSAGE);
    expect(bare.retryable).toBe(true);
    expect(bare.retryAt?.getTime()).toBe(NOW + 5_000);
    const timed = await failWith(googleError(429, "rateLimitExceeded", { "retry-after": "42" }));
    expect(timed.retryable).toBe(true);
    expect(timed.retryAt?.getTime()).toBe(NOW + 42_000);
  });

  it("reads the token endpoint's codes", () => {
    expect(toGmailError.typeOfCode("invalid_grant")).toBe("auth");
    expect(toGmailError.typeOfCode("backendError")).toBe("upstream");
  });

  it("a 403 without the scope the method needs is auth (a token with gmail.send alone reading mail)", async () => {
    const sendOnly = emulator.mintToken({ scopes: ["https://www.googleapis.com/auth/gmail.send"] });
    const { result } = await runJob(gmailFor(emulator, sendOnly), (io) =>
      io.gmail.users.messages.list("list", { userId: "me" }),
    );
    expect(result.status === "failed" && result.error).toMatchObject({
      type: "auth",
      code: "insufficientPermissions",
    });
  });
});
