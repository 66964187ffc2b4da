import type { RouteHandler } from "./types";

type Route = { method: string; path: string; pattern: RegExp; names: string[]; handler: RouteHandler };

/** Method + path routing with `:name` segments (`/repos/:owner/:repo/issues`). */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: RouteHandler): void {
    const names: string[] = [];
    const source = path
      .split("/")
      .map((segment) => {
        if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(segment.slice(1));
        return "([^/]+)";
      })
      .join("/");
    this.routes.push({
      method: method.toUpperCase(),
      path,
      pattern: new RegExp(`^${source}/?$`),
      names,
      handler,
    });
  }

  /** Every route, as added. */
  list(): Array<{ method: string; path: string }> {
    return this.routes.map(({ method, path }) => ({ method, path }));
  }

  match(
    method: string,
    path: string,
  ): { handler: RouteHandler; params: Record<string, string>; path: string } | "method" | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method.toUpperCase() && route.method !== "*") continue;
      const params = Object.fromEntries(
        route.names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? "")]),
      );
      return { handler: route.handler, params, path: route.path };
    }
    return pathMatched ? "method" : undefined;
  }
}
