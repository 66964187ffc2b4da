import type { RunStatus } from "@autoflow/core";
import { Hono } from "hono";
import { z } from "zod";
import type { JobRunService } from "../job-runs";
import { requireUser, type UserEnv } from "./request-user";
import type { RunEventStreams } from "./run-event-stream";
import { describeZodError } from "./schemas";
import type { UserVerifier } from "./user-auth";

/** What the code jobs' run routes need. */
export interface JobRunRoutesOptions {
  service: JobRunService;
  verifyUser: UserVerifier;
  streams: RunEventStreams;
}

const RUN_STATUSES = [
  "running",
  "suspended",
  "completed",
  "failed",
  "cancelled",
] as const satisfies readonly RunStatus[];

const listJobRunsQuery = z
  .object({
    jobId: z.string().min(1).max(200).optional(),
    status: z.enum(RUN_STATUSES).optional(),
    before: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .refine((query) => query.before === undefined || query.jobId !== undefined, {
    message: "before pages one job's runs: give jobId too",
    path: ["before"],
  });

const error = (code: string, message: string) => ({ error: { code, message } });
const runNotFound = error("run_not_found", "No such run");

/**
 * The code jobs' runs (`startServer({ jobs, jobsUserId })`), for the user who owns the jobs: `GET /job-runs`
 * (`{ runs }`, newest first, by `jobId`, `status`, `limit`, and `before` within one job), `GET /job-runs/:id`
 * with every task, `GET /job-runs/:id/events` (server-sent events) and `POST /job-runs/:id/cancel`. Anyone
 * else, and a workflow's run, gets an empty list and 404s.
 */
export function createJobRunRoutes(options: JobRunRoutesOptions): Hono<UserEnv> {
  const routes = new Hono<UserEnv>();
  const { service } = options;
  const guard = requireUser(options.verifyUser);
  for (const path of ["/job-runs", "/job-runs/*"]) routes.use(path, guard);

  routes.get("/job-runs", async (c) => {
    const query = listJobRunsQuery.safeParse(c.req.query());
    if (!query.success) return c.json(error("invalid_request", describeZodError(query.error)), 400);
    const { jobId, status, before, limit } = query.data;
    const runs = await service.list(c.var.userId, {
      limit,
      ...(jobId && { jobId }),
      ...(status && { status }),
      ...(before && { before }),
    });
    return c.json({ runs });
  });

  routes.get("/job-runs/:id", async (c) => {
    const run = await service.get(c.var.userId, c.req.param("id"));
    return run ? c.json(run) : c.json(runNotFound, 404);
  });

  routes.get("/job-runs/:id/events", async (c) => {
    const { userId } = c.var;
    const runId = c.req.param("id");
    const streamed = await options.streams.stream(c, userId, () => service.get(userId, runId));
    return streamed ?? c.json(runNotFound, 404);
  });

  routes.post("/job-runs/:id/cancel", async (c) => {
    const runId = c.req.param("id");
    const answer = await service.cancel(c.var.userId, runId);
    if (!answer || answer.outcome === "not_found") return c.json(runNotFound, 404);
    if (answer.outcome === "finished") {
      return c.json(error("run_finished", `Run ${runId} already ended (${answer.status})`), 409);
    }
    // `requested`: a process elsewhere stops it before its next task.
    return answer.outcome === "cancelled"
      ? c.json({ runId, status: "cancelled" }, 200)
      : c.json({ runId, status: "running" }, 202);
  });

  return routes;
}
