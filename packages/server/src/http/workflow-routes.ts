import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { pauseOf, type WorkflowRecord } from "../stores/workflow-store";
import type { WorkflowService } from "../workflow-service";
import { type JsonBodyOptions, parseBody, readOptionalJson } from "./read-json";
import { requireUser, type UserEnv } from "./request-user";
import { createRunEventStreams, type RunEventStreams } from "./run-event-stream";
import { describeZodError, listRunsQuery, workflowBody } from "./schemas";
import type { UserVerifier } from "./user-auth";

/** What the workflow routes need. */
export interface WorkflowRoutesOptions {
  service: WorkflowService;
  verifyUser: UserVerifier;
  /** How bodies are read (the JSON nesting bound). */
  json?: JsonBodyOptions;
  /** Serves `GET /runs/:id/events`. Default: its own streams with their defaults. */
  streams?: RunEventStreams;
}

const error = (code: string, message: string) => ({ error: { code, message } });
const workflowNotFound = error("workflow_not_found", "No such workflow");

/** A workflow as the API shows it: its definition with its timestamps. */
const toJson = (record: WorkflowRecord) => {
  const paused = pauseOf(record);
  return {
    ...record.definition,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    // What the trigger was checked to see (its connection, account and resource), or why it starts nothing.
    ...(record.triggerScope && { triggerScope: record.triggerScope }),
    ...(paused && { paused }),
  };
};

/**
 * Workflows (`POST /workflows`, `GET /workflows`, `GET|PUT|DELETE /workflows/:id`), runs
 * (`POST /workflows/:id/runs` with an optional JSON payload: 202 `{ runId }`; `GET /runs` newest first, filtered
 * by `workflowId`, `status`, `before`, `limit`; `GET /runs/:id` with every step and task; `GET /runs/:id/events`, the
 * same view live as server-sent events (`run` on every change, `end` once it ended); `POST /runs/:id/cancel`: 200 `{ runId, status: "cancelled" }`, 202 with
 * `status: "running"` while a worker in another process stops it before its next step, 409 once it has ended),
 * all behind the user's JWT.
 * Another user's workflow or run is a 404, the same as one that does not exist; a definition the registries
 * refuse is a 400 naming every problem.
 */
export function createWorkflowRoutes(options: WorkflowRoutesOptions): Hono<UserEnv> {
  const routes = new Hono<UserEnv>();
  const { service } = options;
  // Only this router's paths: it is mounted on `/api`, beside the integration and webhook routes.
  const guard = requireUser(options.verifyUser);
  const limit = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => c.json(error("invalid_request", "Body too large"), 413),
  });
  for (const path of ["/workflows", "/workflows/*", "/runs", "/runs/*"]) routes.use(path, limit, guard);

  routes.post("/workflows", async (c) => {
    const parsed = await parseBody(c.req.raw, workflowBody, options.json);
    if (!parsed.ok) return c.json(error("invalid_request", parsed.message), 400);
    return c.json(toJson(await service.create(c.var.userId, parsed.data)), 201);
  });

  routes.get("/workflows", async (c) => {
    return c.json({ workflows: (await service.list(c.var.userId)).map(toJson) });
  });

  routes.get("/workflows/:id", async (c) => {
    const workflow = await service.get(c.var.userId, c.req.param("id"));
    return workflow ? c.json(toJson(workflow)) : c.json(workflowNotFound, 404);
  });

  routes.put("/workflows/:id", async (c) => {
    const parsed = await parseBody(c.req.raw, workflowBody, options.json);
    if (!parsed.ok) return c.json(error("invalid_request", parsed.message), 400);
    const updated = await service.update(c.var.userId, c.req.param("id"), parsed.data);
    return updated ? c.json(toJson(updated)) : c.json(workflowNotFound, 404);
  });

  routes.delete("/workflows/:id", async (c) => {
    return (await service.remove(c.var.userId, c.req.param("id")))
      ? c.body(null, 204)
      : c.json(workflowNotFound, 404);
  });

  routes.post("/workflows/:id/runs", async (c) => {
    // The payload is optional: an empty body starts the run without one.
    const trigger = await readOptionalJson(c.req.raw, options.json);
    if (!trigger.ok) return c.json(error("invalid_request", trigger.message), 400);
    const started = await service.start(c.var.userId, c.req.param("id"), trigger.value);
    if (!started) return c.json(workflowNotFound, 404);
    return c.json(started, 202);
  });

  routes.get("/runs", async (c) => {
    const query = listRunsQuery.safeParse(c.req.query());
    if (!query.success) return c.json(error("invalid_request", describeZodError(query.error)), 400);
    const runs = await service.listRuns(c.var.userId, query.data);
    return c.json({ runs });
  });

  routes.get("/runs/:id", async (c) => {
    const run = await service.getRun(c.var.userId, c.req.param("id"));
    return run ? c.json(run) : c.json(error("run_not_found", "No such run"), 404);
  });

  const streams = options.streams ?? createRunEventStreams();
  routes.get("/runs/:id/events", async (c) => {
    const { userId } = c.var;
    const runId = c.req.param("id");
    const streamed = await streams.stream(c, userId, () => service.getRun(userId, runId));
    return streamed ?? c.json(error("run_not_found", "No such run"), 404);
  });

  routes.post("/runs/:id/cancel", async (c) => {
    const runId = c.req.param("id");
    const answer = await service.cancelRun(c.var.userId, runId);
    if (!answer) return c.json(error("run_not_found", "No such run"), 404);
    if (answer.outcome === "finished") {
      return c.json(
        error(
          "run_finished",
          `Run ${runId} already ended (${answer.status}); only a queued, running or suspended run can be cancelled`,
        ),
        409,
      );
    }
    // 202 while a worker elsewhere stops it (before its next step); 200 once it has ended cancelled.
    return c.json({ runId, status: answer.status }, answer.outcome === "cancelling" ? 202 : 200);
  });

  return routes;
}
