import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { dashboardAssetsDir } from "@autoflow/dashboard";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";

/**
 * The browser the dashboard tests drive: Debian's Chromium (`apt-get install chromium`), or the one
 * `AUTOFLOW_CHROMIUM` names.
 */
export const CHROMIUM_PATH = process.env.AUTOFLOW_CHROMIUM ?? "/usr/bin/chromium";

/** How long a page state may take to appear: generous, since CI machines are slow; only a failure waits that long. */
export const PAGE_TIMEOUT_MS = 15_000;

/**
 * The browser globals the tests read inside `page.evaluate` (whose functions run in the page): typed here, since
 * the server's tsconfig has no DOM library. Use as `(globalThis as unknown as InPage)`.
 */
export interface InPage {
  document: {
    activeElement: { tagName: string; textContent: string | null } | null;
    documentElement: { scrollWidth: number };
  };
  innerWidth: number;
  axe: { run(): Promise<{ violations: AxeViolation[] }> };
  /** Set by a test, to tell later that the page was not reloaded. */
  notReloaded?: boolean;
}

/**
 * One Chromium per test file: a page per user comes from `openUserPage`. Fails at once, saying what to do, when
 * the dashboard is not built (the service then serves no page) or Chromium is missing.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(join(dashboardAssetsDir(), "index.html")))
    throw new Error(
      "The dashboard is not built: run npx -y pnpm@10 --filter @autoflow/dashboard build first",
    );
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set AUTOFLOW_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--headless", "--no-sandbox"] });
}

/** A user's browser: its own cookie jar and page, and every problem the page reported. */
export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and 5xx answers, in order. */
  problems: string[];
}

// The browser logs every answer of 400 and more as a console error ("Failed to load resource"). A 4xx is an answer
// the app expects and shows (the signed-out check's 401, a refused key's 400, another user's run's 404); a 5xx is not.
const EXPECTED_ANSWER = /^Failed to load resource: the server responded with a status of 4\d\d\b/;

/** A new browser context (cookies of its own) with one page, its problems collected. */
export async function openUserPage(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<UserPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !EXPECTED_ANSWER.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${response.url()}`);
  });
  return { context, page, problems };
}

/** Fails with every console error, page error and 5xx the page saw, but those `allowed` names as expected. */
export function expectNoPageProblems(user: UserPage, allowed?: RegExp): void {
  const problems = allowed ? user.problems.filter((problem) => !allowed.test(problem)) : user.problems;
  expect(problems, "console errors, page errors or 5xx answers").toEqual([]);
}

/** An axe-core result of serious or critical impact, as a failure lists it. */
interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Runs axe-core in the page and fails on any violation of serious or critical impact, naming each rule and the
 * elements it found. axe's source is evaluated through the debugging protocol: an injected `<script>` would be
 * refused by the page's CSP (`script-src 'self'`), which the tests keep on to catch the app breaking it.
 */
export async function expectNoSeriousAxeViolations(page: Page, where = page.url()): Promise<void> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as InPage).axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const described = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")}`,
  );
  expect(described, `axe violations on ${where}`).toEqual([]);
}

/** Fails when the page is wider than its viewport (something does not fit a phone's width). */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as InPage;
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth };
  });
  expect(scrollWidth, `page ${page.url()} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
}

/** A free TCP port on the loopback interface (the service's public URL, and so its OAuth redirect, needs it before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Where screenshots of the pages go when `AUTOFLOW_SCREENSHOTS=1` (`docs/dashboard/<name>.png`, for the README);
 * otherwise nothing is written.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.AUTOFLOW_SCREENSHOTS !== "1") return;
  const dir = join(import.meta.dirname, "..", "..", "..", "..", "docs", "dashboard");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Waits until the first element `locator` finds is visible (the page's own state, with the pages' margin). */
export const visible = (locator: Locator) =>
  locator.first().waitFor({ state: "visible", timeout: PAGE_TIMEOUT_MS });
