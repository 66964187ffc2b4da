import {
  type AuthResolver,
  defineJob,
  JobRunner,
  lifecycleAuthResolver,
  MemoryConnectionStore,
} from "@autoflow/core";
import { consent, createTestClock } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackLifecycle, Slack } from "../src/index";

// Rotating tokens: they expire in 12 hours, so a run a day later needs a refreshed one.
const emulator = new SlackEmulator({ tokenRotation: true });
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

/** A Slack lifecycle against the emulator with one OAuth connection of `userId`. */
async function connected(userId: string, clock: ReturnType<typeof createTestClock>) {
  const lifecycle = createSlackLifecycle({
    store: new MemoryConnectionStore(),
    clock,
    oauthClient: {
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      redirectUri: "http://127.0.0.1/cb",
    },
    slackApiUrl: emulator.apiUrl,
    authorizeUrl: emulator.authorizeUrl,
  });
  const started = lifecycle.beginOAuth(userId);
  await lifecycle.completeOAuth(await consent(started.authUrl));
  return lifecycle;
}

describe("a HOSTED Slack integration in a job", () => {
  it("gets the user's connection from the lifecycle on every run, refreshed once it is about to expire", async () => {
    const clock = createTestClock(Date.now());
    const lifecycle = await connected("user-1", clock);

    // No token option: HOSTED, the runner supplies auth per run.
    const slack = new Slack({ id: "slack", slackApiUrl: emulator.apiUrl });
    expect(slack.authSource).toBe("HOSTED");
    const job = defineJob({
      id: "hosted-post",
      integrations: { slack },
      run: async (payload: { text: string }, io) =>
        io.slack.chat.postMessage("post", { channel: "C01GENERAL", text: payload.text }),
    });
    const runner = new JobRunner({ resolveAuth: lifecycleAuthResolver({ slack: lifecycle }, "user-1") });
    const usedToken = () =>
      emulator.requests.filter((r) => r.path === "/api/chat.postMessage").at(-1)?.headers.authorization;

    const first = await runner.run(job, { payload: { text: "hosted, first token" } });
    expect(first.status).toBe("completed");
    const firstToken = usedToken();

    clock.advance(24 * 3600_000);
    const before = emulator.refreshRequestCount;
    const second = await runner.run(job, { payload: { text: "hosted, a day later" } });
    expect(second.status).toBe("completed");
    expect(emulator.refreshRequestCount - before).toBe(1);
    expect(usedToken()).not.toBe(firstToken);
    expect(usedToken()).toBe(`Bearer ${(await lifecycle.authFor("user-1")).accessToken}`);
    expect(emulator.history("C01GENERAL").map((m) => m.text)).toEqual(
      expect.arrayContaining(["hosted, first token", "hosted, a day later"]),
    );
  });

  it("refreshes once and posts when Slack answers token_expired to a token the run still had", async () => {
    const lifecycle = await connected("user-2", createTestClock(Date.now()));
    // Another worker refreshed the connection: the token this run holds now answers token_expired.
    const stale = (await lifecycle.authFor("user-2")).accessToken;
    await lifecycle.authFor("user-2", { forceRefresh: true });
    const asked: boolean[] = [];
    const resolveAuth: AuthResolver = async ({ forceRefresh }) => {
      asked.push(forceRefresh === true);
      return forceRefresh
        ? lifecycle.authFor("user-2", { forceRefresh })
        : { type: "oauth2", accessToken: stale };
    };
    const slack = new Slack({ id: "slack", slackApiUrl: emulator.apiUrl });
    const job = defineJob({
      id: "hosted-expired",
      integrations: { slack },
      run: async (_payload, io) =>
        io.slack.chat.postMessage("post", { channel: "C01GENERAL", text: "after token_expired" }),
    });
    const result = await new JobRunner({ resolveAuth }).run(job);
    expect(result.status, JSON.stringify(result)).toBe("completed");
    expect(asked.filter(Boolean)).toHaveLength(1);
    expect(emulator.history("C01GENERAL").filter((m) => m.text === "after token_expired")).toHaveLength(1);
  });
});
