import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

/**
 * The dashboard's Content-Security-Policy: everything from this origin only (no CDN, no inline script or style),
 * no framing, no plugins, forms and links back to this origin.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

/** The app's own paths: each answers the page shell (the app routes in the browser). */
const PAGE_PATHS = [
  "/",
  "/connections",
  "/triggers",
  "/runs",
  "/runs/*",
  "/job-runs/*",
  "/workflows",
  "/workflows/*",
];

/** Headers every dashboard answer carries. */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": DASHBOARD_CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "same-origin",
};

/** Whether `assetsDir` holds a dashboard build (its page shell). */
export function holdsDashboardBuild(assetsDir: string): boolean {
  return existsSync(join(assetsDir, "index.html"));
}

/**
 * Serves the built dashboard (`@autoflow/dashboard`'s `dist/app`): its hashed assets under `/assets/` (cached for
 * a year: a new build has new names) and the page shell for the app's paths (never cached, so a new build is
 * picked up). Serves nothing when the directory holds no build: the API works without it.
 */
export function createDashboardRoutes(assetsDir: string): Hono | undefined {
  if (!holdsDashboardBuild(assetsDir)) return undefined;
  const shell = readFileSync(join(assetsDir, "index.html"), "utf8");
  const routes = new Hono();
  routes.use("/assets/*", async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    if (c.res.status === 200) c.header("cache-control", "public, max-age=31536000, immutable");
  });
  routes.get("/assets/*", serveStatic({ root: assetsDir }));
  for (const path of PAGE_PATHS) {
    routes.get(path, (c) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
      c.header("cache-control", "no-cache");
      return c.html(shell);
    });
  }
  return routes;
}
