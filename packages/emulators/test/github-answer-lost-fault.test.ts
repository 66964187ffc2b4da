import { randomUUID } from "node:crypto";
import { Octokit } from "octokit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GithubEmulator } from "../src/index";

// The `answer-lost` fault: the provider does what was asked (its state changes), and then the answer never
// reaches the client. Driven through the real SDK over HTTP: the client sees a transport failure, while the
// write is there exactly once.

const REPO = { owner: "octo-org", repo: "hello" };

describe("answer-lost on the GitHub emulator", () => {
  const emulator = new GithubEmulator();
  let octokit: Octokit;
  beforeAll(async () => {
    await emulator.start();
    octokit = new Octokit({
      baseUrl: emulator.url,
      auth: emulator.mintToken(),
      throttle: { enabled: false },
      retry: { enabled: false },
    });
  });
  afterEach(() => emulator.clearFaults());
  afterAll(() => emulator.stop());

  it("creates the issue, then resets the connection before any byte of the answer", async () => {
    const title = `answer-lost ${randomUUID()}`;
    await emulator.injectFault("answer-lost");
    const failure = await octokit.rest.issues.create({ ...REPO, title }).catch((e) => e);
    // No answer: Octokit reports a request that got none (its status 500 is its own invention).
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { response?: unknown }).response).toBeUndefined();
    expect(emulator.requests.at(-1)).toMatchObject({ method: "POST", outcome: "answer-lost" });

    await emulator.clearFaults();
    const issues = await octokit.rest.issues.listForRepo({ ...REPO, per_page: 100 });
    expect(issues.data.filter((issue) => issue.title === title)).toHaveLength(1);
  });

  it("can hold the answer instead, past the client's timeout, after the issue was created", async () => {
    const title = `answer-held ${randomUUID()}`;
    emulator.server.faults.loseAnswerNext(1, { method: "POST" }, "hang");
    // The client gives up once the emulator has handled the request (no wall-clock timeout needed).
    const controller = new AbortController();
    const before = emulator.requests.length;
    const pending = octokit.rest.issues.create({ ...REPO, title, request: { signal: controller.signal } });
    while (!emulator.requests.slice(before).some((request) => request.outcome === "answer-lost")) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort();
    expect(await pending.catch((e) => e)).toBeInstanceOf(Error);
    const issues = await octokit.rest.issues.listForRepo({ ...REPO, per_page: 100 });
    expect(issues.data.filter((issue) => issue.title === title)).toHaveLength(1);
  });
});
