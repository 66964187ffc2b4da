import { defineJob, JobRunner, MemoryTaskStore, MemoryWebhookInbox, TriggerDispatcher } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Github } from "../src/index";

// github.onNewStar polls the emulator's stargazers list through Octokit; the cursor lives in the store.
const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

function addUser(login: string): string {
  if (!emulator.state.accounts.has(login)) {
    emulator.state.addAccount({ login, type: "User", name: login, email: null });
  }
  return emulator.mintToken({ login });
}

async function star(login: string, method: "PUT" | "DELETE" = "PUT", repo = "octo-org/hello") {
  const response = await fetch(`${emulator.url}/user/starred/${repo}`, {
    method,
    headers: { authorization: `token ${addUser(login)}` },
  });
  expect(response.status).toBe(204);
}

function setup(repo = "hello") {
  const cursors = new MemoryWebhookInbox();
  const store = new MemoryTaskStore();
  const seen: string[] = [];
  const dispatcher = () => {
    // A new integration, trigger and dispatcher each time: what a restarted process builds.
    const github = new Github({ id: "github", token: emulator.mintToken(), baseUrl: emulator.url });
    const job = defineJob({
      id: `on-star-${repo}`,
      trigger: github.onNewStar({ owner: "octo-org", repo, intervalMs: 1_000 }),
      run: async (stargazer) => {
        seen.push(stargazer.user?.login ?? "?");
      },
    });
    return new TriggerDispatcher({ inbox: cursors, cursors, runner: new JobRunner({ store }), jobs: [job] });
  };
  return { seen, dispatcher, cursors };
}

describe("github.onNewStar", () => {
  it("starts one run per star added after the first poll, and a restart repeats none", async () => {
    await star("octocat");
    const { seen, dispatcher, cursors } = setup();
    expect(await dispatcher().pollOnce()).toBe(0);
    const id = new Github({ id: "github", token: "t", baseUrl: emulator.url }).onNewStar({
      owner: "Octo-Org",
      repo: "hello",
    }).id;
    // The cursor's key is the trigger's identity (provider, key, inputs), not the job or the token.
    expect(id).toMatch(/^poll:github\.newStar:/);
    expect(await cursors.getCursor(id)).toMatchObject({
      watermark: expect.any(String),
      seen: [[expect.stringMatching(/^octocat@/), expect.any(Number)]],
    });

    await star("ada");
    await star("lin");
    expect(await dispatcher().pollOnce()).toBe(2);
    expect(await dispatcher().pollOnce()).toBe(0);
    await star("kay");
    // Unstarring an old star shifts the list; the new one is still found, the old ones not repeated.
    await star("octocat", "DELETE");
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(await dispatcher().pollOnce()).toBe(0);
    expect(seen).toEqual(["ada", "lin", "kay"]);
  });

  it("pages through more than a page of new stars, and finds new ones after more than a page of unstars", async () => {
    const repo = emulator.state.addRepo("octo-org", "many-stars");
    // Bulk stars straight into the state (setup, not under test); the poller reads them over the API.
    const addStars = (logins: string[]) => {
      for (const login of logins) repo.stargazers.push({ login, starredAt: emulator.state.timestamp() });
    };
    const { seen, dispatcher } = setup("many-stars");
    expect(await dispatcher().pollOnce()).toBe(0);
    const logins = Array.from({ length: 250 }, (_, i) => `fan-${String(i).padStart(3, "0")}`);
    addStars(logins);
    expect(await dispatcher().pollOnce()).toBe(250);
    expect(seen).toEqual(logins);

    // 200 unstars leave 50: the page where the last poll ended (page 2 of 100) is now empty.
    repo.stargazers.splice(0, 200);
    addStars(["late-1", "late-2"]);
    expect(await dispatcher().pollOnce()).toBe(2);
    expect(seen.slice(250)).toEqual(["late-1", "late-2"]);
    expect(await dispatcher().pollOnce()).toBe(0);
  });

  it("asks for the star media type, so each item carries starred_at", async () => {
    emulator.server.clearRequests();
    const github = new Github({ id: "github", token: emulator.mintToken(), baseUrl: emulator.url });
    const trigger = github.onNewStar({ owner: "octo-org", repo: "hello" });
    const first = await trigger.poll(undefined);
    expect(first.items).toEqual([]);
    await star("zed");
    const next = await trigger.poll(first.cursor);
    expect(next.items).toEqual([
      {
        starred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        user: expect.objectContaining({ login: "zed" }),
      },
    ]);
    expect(trigger.itemId(next.items[0] as (typeof next.items)[number])).toMatch(/^zed@/);
    const listed = emulator.requests.filter((r) => r.path === "/repos/octo-org/hello/stargazers");
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((r) => r.headers.accept === "application/vnd.github.star+json")).toBe(true);
    expect(trigger).toMatchObject({
      kind: "polling",
      provider: "github",
      intervalMs: 60_000,
      title: "GitHub: new star on octo-org/hello",
    });
  });

  it("needs a token for HOSTED polling: an option, or a function that fetches the connection's", async () => {
    const hosted = new Github({ id: "github-hosted", baseUrl: emulator.url });
    expect(() => hosted.onNewStar({ owner: "octo-org", repo: "hello" })).toThrow(/needs a token/);
    let asked = 0;
    const trigger = hosted.onNewStar({
      owner: "octo-org",
      repo: "hello",
      token: async () => {
        asked++;
        return emulator.mintToken();
      },
    });
    await trigger.poll(undefined);
    // Fetched for every call the poll makes (the first poll reads where the list ends, then lists from there).
    expect(asked).toBeGreaterThan(0);
    const refused = new Github({ id: "github", token: "ghp_revoked", baseUrl: emulator.url }).onNewStar({
      owner: "octo-org",
      repo: "hello",
    });
    await expect(refused.poll(undefined)).rejects.toMatchObject({ type: "auth", provider: "github" });
  });
});
