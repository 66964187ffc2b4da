import type { Clock } from "@autoflow/core";
import { GithubEmulator, SlackEmulator, StripeEmulator } from "@autoflow/emulators";
import { createSignInToken } from "../../src/http/browser-session";
import type { StartServerOptions } from "../../src/server";
import { startTestServer, type TestServer } from "../http-server";
import type { UserPage } from "./browser-harness";
import { freePort } from "./browser-harness";

/**
 * The service's clock in the dashboard tests: time moves only when a test says (`advance`), and a sleep (a task
 * waiting out a rate limit) returns at once, unless the test `hold`s sleeps: then every sleep waits until
 * `release`, so a page can be watched while a task waits, without waiting for the wall clock.
 */
export class DashboardClock implements Clock {
  private current: number;
  private held = false;
  private readonly sleepers: { until: number; wake: () => void }[] = [];

  constructor(startEpochMs = Date.now()) {
    this.current = startEpochMs;
  }

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    const until = this.current + Math.max(0, ms);
    if (this.held) await new Promise<void>((wake) => this.sleepers.push({ until, wake }));
    if (until > this.current) this.current = until;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  /** From now on, every sleep waits for `release`. */
  hold(): void {
    this.held = true;
  }

  /** How many sleeps wait for `release`. */
  get sleeping(): number {
    return this.sleepers.length;
  }

  /** Wakes every held sleep (time jumps to the latest wake-up) and stops holding. */
  release(): void {
    this.held = false;
    for (const sleeper of this.sleepers.splice(0)) sleeper.wake();
  }
}

/** The service with the dashboard, on a port known before it starts, with emulators of three providers. */
export interface DashboardService {
  t: TestServer;
  /** `http://127.0.0.1:<port>`: the service's public URL, where the OAuth redirects come back. */
  url: string;
  clock: DashboardClock;
  slack: SlackEmulator;
  stripe: StripeEmulator;
  github: GithubEmulator;
  /** Signs `user`'s browser in as `userId` through a sign-in link, landing on `next`. */
  signIn(user: UserPage, userId: string, next?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts Slack, Stripe and GitHub emulators (GitHub on the service's clock, for its polling trigger) and the
 * service on SQLite pointed at them, with `options` (jobs, webhook providers) on top.
 */
export async function startDashboardService(
  options: { env?: Record<string, string>; server?: StartServerOptions } = {},
): Promise<DashboardService> {
  const clock = new DashboardClock();
  const slack = new SlackEmulator();
  const stripe = new StripeEmulator();
  const github = new GithubEmulator({ clock });
  await Promise.all([slack.start(), stripe.start(), github.start()]);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await startTestServer(
    "sqlite",
    { ...slack.env(), ...stripe.env(), ...github.env() },
    { PORT: String(port), AUTOFLOW_PUBLIC_URL: url, ...options.env },
    {
      clock,
      subscriptionTickMs: 0,
      workflowPollTickMs: 0,
      actionProviders: {
        slack: { timeoutMs: 5_000 },
        github: { timeoutMs: 5_000 },
        stripe: { timeoutMs: 5_000 },
      },
      ...options.server,
    },
  );
  return {
    t,
    url,
    clock,
    slack,
    stripe,
    github,
    async signIn(user, userId, next = "/connections") {
      const token = await createSignInToken(t.jwtSecret, { userId });
      await user.page.goto(`${url}/auth/sign-in?token=${token}&next=${encodeURIComponent(next)}`);
    },
    async close() {
      clock.release();
      await t.close();
      await Promise.all([slack.stop(), stripe.stop(), github.stop()]);
    },
  };
}
