import { useEffect, useState } from "preact/hooks";

/** Where the app is: the path and the query of `location`. */
export interface AppLocation {
  path: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
window.addEventListener("popstate", notify);

const current = (): AppLocation => ({ path: location.pathname, query: new URLSearchParams(location.search) });

/** Goes to `to` (a same-origin path) without reloading: `pushState`, or `replaceState` with `replace`. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  notify();
}

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
