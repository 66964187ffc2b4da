import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { TriggerHealthService } from "../triggers/trigger-health-service";
import type { UserVerifier } from "./user-auth";

/** What the trigger routes need. */
export interface TriggerRoutesOptions {
  service: TriggerHealthService;
  verifyUser: UserVerifier;
}

type Env = { Variables: { userId: string } };

const TRIGGER_ID = /^trg_[0-9a-f]{24}$/;

/**
 * The user's triggers (their stored workflows' and, for `jobsUserId`, the code jobs'), each with its health,
 * behind the user's JWT: `GET /triggers` (`{ triggers: [...] }`) and `GET /triggers/:id`. Another user's
 * trigger is a 404, the same as one that does not exist. The catalogue of trigger kinds is `/api/catalog/`.
 */
export function createTriggerRoutes(options: TriggerRoutesOptions): Hono<Env> {
  const routes = new Hono<Env>();
  const guard = createMiddleware<Env>(async (c, next) => {
    c.set("userId", (await options.verifyUser(c.req.header("authorization"))).userId);
    await next();
  });
  for (const path of ["/triggers", "/triggers/*"]) routes.use(path, guard);

  routes.get("/triggers", async (c) => c.json({ triggers: await options.service.list(c.var.userId) }));

  routes.get("/triggers/:id", async (c) => {
    const id = c.req.param("id");
    const found = TRIGGER_ID.test(id) ? await options.service.get(c.var.userId, id) : undefined;
    return found ? c.json(found) : c.json({ error: { code: "not_found", message: "No such trigger" } }, 404);
  });
  return routes;
}
