import { z } from "zod";

/** `POST .../connections`: an API key or an access token, not both empty, and what some providers need with it. */
export const connectApiKeyBody = z
  .object({
    apiKey: z.string().min(1).max(4096).optional(),
    accessToken: z.string().min(1).max(4096).optional(),
    /** The account's email, for providers whose API token is sent with it (Basic auth). */
    email: z.string().email().max(320).optional(),
    /** The site the token is for (a customer's own host); checked by the egress policy too. */
    siteUrl: z.string().url().max(2048).optional(),
  })
  .strict()
  .refine((body) => body.apiKey !== undefined || body.accessToken !== undefined, {
    message: "Provide apiKey or accessToken",
    path: ["apiKey"],
  });

/** `POST .../oauth/complete` and the callback's query. */
export const completeOAuthBody = z
  .object({ code: z.string().min(1).max(2048), state: z.string().min(1).max(512) })
  .strict();

/** A connection id in a path: the lifecycle issues UUIDs, so anything else is a 400 before any lookup. */
export const connectionIdParam = z.string().uuid();

/**
 * `POST /api/workflows` and `PUT /api/workflows/:id`: the steps and the trigger are checked in depth by
 * `validateWorkflow` (against the registries); the id is the server's.
 */
export const workflowBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    steps: z.array(z.unknown()).min(1).max(100),
    trigger: z
      .object({ key: z.string().min(1).max(200), inputs: z.unknown().optional() })
      .strict()
      .optional(),
  })
  .strict();

/** `GET /api/runs`'s query. */
export const listRunsQuery = z
  .object({
    workflowId: z.string().min(1).max(200).optional(),
    status: z
      .enum(["deferred", "queued", "running", "suspended", "completed", "failed", "cancelled"])
      .optional(),
    before: z.iso.datetime().optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

/** One line naming the field and the problem, e.g. `apiKey: Provide apiKey or accessToken`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}
