import { Hono } from "hono";
import { z } from "zod";
import { DEAD_DELIVERY_ID, type DeadLetterService } from "../deliveries/dead-letters";
import { requireUser, type UserEnv } from "./request-user";
import { describeZodError } from "./schemas";
import type { UserVerifier } from "./user-auth";

/** What the delivery routes need. */
export interface DeliveryRoutesOptions {
  service: DeadLetterService;
  verifyUser: UserVerifier;
}

const error = (code: string, message: string) => ({ error: { code, message } });

/** `GET /deliveries`: only dead letters are listed (pending ones are the dispatcher's business). */
const listDeliveriesQuery = z
  .object({
    status: z.literal("dead", { message: 'must be "dead"' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/**
 * Webhook deliveries the user's workflows and jobs could not take, behind the user's JWT:
 * `GET /deliveries?status=dead[&limit=]` lists them (`{ deliveries: [...] }`, most recently dead first) and
 * `POST /deliveries/:id/retry` puts one back to pending (202 `{ id, status: "pending" }`). Another user's
 * delivery is a 404, the same as one that does not exist or is not dead.
 */
export function createDeliveryRoutes(options: DeliveryRoutesOptions): Hono<UserEnv> {
  const routes = new Hono<UserEnv>();
  const guard = requireUser(options.verifyUser);
  for (const path of ["/deliveries", "/deliveries/*"]) routes.use(path, guard);

  routes.get("/deliveries", async (c) => {
    const query = listDeliveriesQuery.safeParse(c.req.query());
    if (!query.success) return c.json(error("invalid_request", describeZodError(query.error)), 400);
    return c.json({ deliveries: await options.service.list(c.var.userId, query.data.limit) });
  });

  routes.post("/deliveries/:id/retry", async (c) => {
    const id = c.req.param("id");
    if (!DEAD_DELIVERY_ID.test(id)) return c.json(error("invalid_request", "id: must be a delivery id"), 400);
    if (!(await options.service.retry(c.var.userId, id))) {
      return c.json(error("delivery_not_found", "No such dead delivery"), 404);
    }
    return c.json({ id, status: "pending" }, 202);
  });

  return routes;
}
