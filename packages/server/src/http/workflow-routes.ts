import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { WorkflowService } from "../workflow-service";
import { parseBody } from "./read-json";
import { createWorkflowBody } from "./schemas";
import type { UserVerifier } from "./user-auth";

/** What the workflow routes need. */
export interface WorkflowRoutesOptions {
  service: WorkflowService;
  verifyUser: UserVerifier;
}

type Env = { Variables: { userId: string } };

const error = (code: string, message: string) => ({ error: { code, message } });

/**
 * `POST /workflows` (create; 400 naming the problem), `POST /workflows/:id/runs` (start a run with an optional
 * JSON payload: 202 `{ runId }`) and `GET /runs/:id` (the run and every step), all behind the user's JWT. Another
 * user's workflow or run is a 404, the same as one that does not exist.
 */
export function createWorkflowRoutes(options: WorkflowRoutesOptions): Hono<Env> {
  const routes = new Hono<Env>();
  const { service } = options;
  // Only this router's paths: it is mounted on `/api`, beside the integration and webhook routes.
  const guard = createMiddleware<Env>(async (c, next) => {
    c.set("userId", (await options.verifyUser(c.req.header("authorization"))).userId);
    await next();
  });
  const limit = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => c.json(error("invalid_request", "Body too large"), 413),
  });
  for (const path of ["/workflows", "/workflows/*", "/runs/*"]) routes.use(path, limit, guard);

  routes.post("/workflows", async (c) => {
    const parsed = await parseBody(c.req.raw, createWorkflowBody);
    if (!parsed.ok) return c.json(error("invalid_request", parsed.message), 400);
    const created = await service.create(c.var.userId, parsed.data);
    return c.json({ ...created.definition, createdAt: created.createdAt }, 201);
  });

  routes.post("/workflows/:id/runs", async (c) => {
    // The payload is optional: an empty body starts the run without one.
    const text = await c.req.text();
    let trigger: unknown;
    if (text.trim() !== "") {
      try {
        trigger = JSON.parse(text);
      } catch {
        return c.json(error("invalid_request", "body: is not valid JSON"), 400);
      }
    }
    const started = await service.start(c.var.userId, c.req.param("id"), trigger);
    if (!started) return c.json(error("workflow_not_found", "No such workflow"), 404);
    return c.json(started, 202);
  });

  routes.get("/runs/:id", async (c) => {
    const run = await service.getRun(c.var.userId, c.req.param("id"));
    return run ? c.json(run) : c.json(error("run_not_found", "No such run"), 404);
  });

  return routes;
}
