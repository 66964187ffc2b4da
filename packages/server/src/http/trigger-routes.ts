import { Hono } from "hono";
import type { TriggerHealthService } from "../triggers/trigger-health-service";
import { requireUser, type UserEnv } from "./request-user";
import type { UserVerifier } from "./user-auth";

/** What the trigger routes need. */
export interface TriggerRoutesOptions {
  service: TriggerHealthService;
  verifyUser: UserVerifier;
}

const TRIGGER_ID = /^trg_[0-9a-f]{24}$/;

/**
 * The user's triggers (their stored workflows' and, for `jobsUserId`, the code jobs'), each with its health,
 * behind the user's JWT: `GET /triggers` (`{ triggers: [...] }`) and `GET /triggers/:id`. Another user's
 * trigger is a 404, the same as one that does not exist. The catalogue of trigger kinds is `/api/catalog/`.
 */
export function createTriggerRoutes(options: TriggerRoutesOptions): Hono<UserEnv> {
  const routes = new Hono<UserEnv>();
  const guard = requireUser(options.verifyUser);
  for (const path of ["/triggers", "/triggers/*"]) routes.use(path, guard);

  routes.get("/triggers", async (c) => c.json({ triggers: await options.service.list(c.var.userId) }));

  routes.get("/triggers/:id", async (c) => {
    const id = c.req.param("id");
    const found = TRIGGER_ID.test(id) ? await options.service.get(c.var.userId, id) : undefined;
    return found ? c.json(found) : c.json({ error: { code: "not_found", message: "No such trigger" } }, 404);
  });
  return routes;
}
