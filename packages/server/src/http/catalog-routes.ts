import type { ActionRegistry, TriggerRegistry } from "@autoflow/actions";
import { Hono } from "hono";
import { requireUser, type UserEnv } from "./request-user";
import type { UserVerifier } from "./user-auth";

/** What the catalogue routes serve. */
export interface CatalogRoutesOptions {
  actions: ActionRegistry;
  triggers: TriggerRegistry;
  verifyUser: UserVerifier;
}

/**
 * The action and trigger catalogue a workflow may name, with each entry's JSON Schemas (inputs, outputs, filters,
 * payload), behind the user's JWT like every route: `GET /catalog/actions` (`{ actions: [...] }`) and
 * `GET /catalog/triggers` (`{ triggers: [...] }`), in registration order.
 */
export function createCatalogRoutes(options: CatalogRoutesOptions): Hono<UserEnv> {
  const routes = new Hono<UserEnv>();
  routes.use("/catalog/*", requireUser(options.verifyUser));
  routes.get("/catalog/actions", (c) => c.json({ actions: options.actions.list() }));
  routes.get("/catalog/triggers", (c) => c.json({ triggers: options.triggers.list() }));
  return routes;
}
