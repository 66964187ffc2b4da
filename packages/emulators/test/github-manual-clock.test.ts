import { afterEach, describe, expect, it } from "vitest";
import { GithubEmulator, ManualClock } from "../src/index";

const START = Date.UTC(2030, 5, 1, 12, 0, 0);
const START_SECONDS = START / 1000;
const HOUR_MS = 3_600_000;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe("GitHub emulator on a manual clock", () => {
  async function startedGithub(clock: ManualClock): Promise<{ github: GithubEmulator; get: typeof fetch }> {
    const github = new GithubEmulator({ clock });
    await github.start();
    stops.push(() => github.stop());
    const token = github.mintToken();
    const get: typeof fetch = (path, init) =>
      fetch(`${github.url}${String(path)}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init?.headers },
      });
    return { github, get };
  }

  it("keeps the secondary rate limit shut until the clock is advanced past the window", async () => {
    const clock = new ManualClock(START);
    const { github, get } = await startedGithub(clock);
    github.rateLimit(2, 60_000);

    expect((await get("/user")).status).toBe(200);
    expect((await get("/user")).status).toBe(200);
    const limited = await get("/user");
    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBe("60");

    clock.advance(59_999);
    expect((await get("/user")).status).toBe(403);
    clock.advance(1);
    expect((await get("/user")).status).toBe(200);
  });

  it("counts the hourly budget and dates new objects on the clock", async () => {
    const clock = new ManualClock(START);
    const { get } = await startedGithub(clock);

    const first = await get("/user");
    expect(first.headers.get("x-ratelimit-reset")).toBe(String(START_SECONDS + 3_600));
    expect(first.headers.get("x-ratelimit-remaining")).toBe("4999");
    expect((await get("/user")).headers.get("x-ratelimit-remaining")).toBe("4998");

    clock.advance(HOUR_MS);
    const fresh = await get("/user");
    expect(fresh.headers.get("x-ratelimit-remaining")).toBe("4999");
    expect(fresh.headers.get("x-ratelimit-reset")).toBe(String(START_SECONDS + 7_200));

    const created = await get("/repos/octo-org/hello/issues", {
      method: "POST",
      body: JSON.stringify({ title: "dated by the clock" }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { created_at: string }).created_at).toBe(
      new Date(START + HOUR_MS).toISOString().replace(".000Z", "Z"),
    );
  });
});
