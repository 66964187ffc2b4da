import { useEffect, useState } from "preact/hooks";

/** Where the app is: the path and the query of `location`. */
export interface AppLocation {
  path: string;
  query: URLSearchParams;
}

/**
 * Asked before an in-app navigation to `to` leaves the page: answers whether to go (it may ask the user first, so
 * the answer may come later). A page registers one while leaving it would lose something, e.g. unsaved edits.
 */
export type NavigationGuard = (to: string) => boolean | Promise<boolean>;

const listeners = new Set<() => void>();
const guards = new Set<NavigationGuard>();
const addressOf = () => `${location.pathname}${location.search}${location.hash}`;
/** The address the app shows: where a refused back or forward puts the address bar back. */
let shown = addressOf();

const notify = () => {
  shown = addressOf();
  for (const listener of listeners) listener();
};

const go = (to: string, replace = false) => {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  notify();
};

/** Whether every guard lets the app go to `to`, asked one after the other (a refusal stops the asking). */
async function guardsAllow(to: string): Promise<boolean> {
  for (const guard of [...guards]) if (!(await guard(to))) return false;
  return true;
}

// Back and forward have already moved the address when `popstate` arrives: while a guard is registered, put the
// shown address back, and go to the new one only when the guards allow it.
window.addEventListener("popstate", () => {
  if (guards.size === 0) {
    notify();
    return;
  }
  const to = addressOf();
  history.pushState(null, "", shown);
  void guardsAllow(to).then((allowed) => allowed && go(to));
});

/**
 * Goes to `to` (a same-origin path) without reloading: `pushState`, or `replaceState` with `replace`. The
 * registered guards are asked first, unless `force`: a page's own navigation once it saved or deleted what its
 * guard protects.
 */
export function navigate(to: string, options: { replace?: boolean; force?: boolean } = {}): void {
  // Without a guard the navigation stays synchronous, as the pages that change the query expect.
  if (options.force || guards.size === 0) {
    go(to, options.replace);
    return;
  }
  void guardsAllow(to).then((allowed) => allowed && go(to, options.replace));
}

/** Registers `guard` until the function it answers is called. */
export function addNavigationGuard(guard: NavigationGuard): () => void {
  guards.add(guard);
  return () => {
    guards.delete(guard);
  };
}

const current = (): AppLocation => ({ path: location.pathname, query: new URLSearchParams(location.search) });

/** The current location, re-rendering on every navigation (links, back and forward). */
export function useLocation(): AppLocation {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const listener = () => setLocation(current());
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return location;
}

/** A route the app knows: which page module shows it, its title, and the path's parameters. */
export interface Route {
  page: "connections" | "triggers" | "runs" | "run" | "workflows" | "builder" | "not-found";
  title: string;
  params: Record<string, string>;
}

/** The route of `path`. */
export function matchRoute(path: string): Route {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (trimmed === "/" || trimmed === "/connections")
    return { page: "connections", title: "Connections", params: {} };
  if (trimmed === "/triggers") return { page: "triggers", title: "Triggers", params: {} };
  if (trimmed === "/runs") return { page: "runs", title: "Runs", params: {} };
  if (trimmed === "/workflows") return { page: "workflows", title: "Workflows", params: {} };
  if (trimmed === "/workflows/new") return { page: "builder", title: "New workflow", params: {} };
  const workflow = /^\/workflows\/([^/]+)$/.exec(trimmed);
  if (workflow?.[1])
    return { page: "builder", title: "Edit workflow", params: { id: decodeURIComponent(workflow[1]) } };
  const run = /^\/(runs|job-runs)\/([^/]+)$/.exec(trimmed);
  if (run?.[1] && run[2]) {
    const kind = run[1] === "runs" ? "workflow" : "job";
    return {
      page: "run",
      title: kind === "workflow" ? "Workflow run" : "Job run",
      params: { kind, id: decodeURIComponent(run[2]) },
    };
  }
  return { page: "not-found", title: "Page not found", params: {} };
}
