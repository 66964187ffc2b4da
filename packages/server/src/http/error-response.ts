import { ConnectionLifecycleError, IntegrationError } from "@autoflow/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CsrfRefusedError } from "./browser-session";
import { UnauthenticatedError } from "./user-auth";

export type ErrorBody = {
  error: {
    code: string;
    message: string;
    type?: string;
    /** A refused workflow's or step list's problems, each at its path (`steps.1.inputs.text`), for a form. */
    problems?: { path: string; message: string }[];
  };
};

const PLAN_CODES = new Set(["invalid_workflow", "invalid_steps"]);

const LIFECYCLE_STATUS: Record<ConnectionLifecycleError["code"], ContentfulStatusCode> = {
  unknown_state: 400,
  state_reused: 400,
  state_expired: 400,
  state_provider_mismatch: 400,
  state_user_mismatch: 403,
  oauth_not_supported: 400,
  api_key_not_supported: 400,
  missing_credential: 400,
  connection_not_found: 404,
};

/** Maps any error to a status and a JSON body that never carries a credential or a stack. */
export function errorResponse(error: unknown): {
  status: ContentfulStatusCode;
  body: ErrorBody;
  headers?: Record<string, string>;
} {
  if (UnauthenticatedError.isInstance(error)) {
    return { status: 401, body: { error: { code: "unauthenticated", message: error.message } } };
  }
  if (error instanceof CsrfRefusedError) {
    return { status: 403, body: { error: { code: "csrf_failed", message: error.message } } };
  }
  if (ConnectionLifecycleError.isInstance(error)) {
    return {
      status: LIFECYCLE_STATUS[error.code],
      body: { error: { code: error.code, message: error.message } },
    };
  }
  if (IntegrationError.isInstance(error)) {
    const body: ErrorBody = {
      error: { code: error.code ?? error.type, type: error.type, message: error.message },
    };
    if (error.code && PLAN_CODES.has(error.code) && error.details) {
      body.error.problems = Object.entries(error.details).map(([path, message]) => ({ path, message }));
    }
    switch (error.type) {
      case "auth":
      case "schema":
        // The provider refused the credential or the request: the caller's input, not our failure.
        return { status: 400, body };
      case "rate-limit": {
        const seconds = error.retryAt
          ? Math.max(1, Math.ceil((error.retryAt.getTime() - Date.now()) / 1000))
          : 60;
        return { status: 429, body, headers: { "retry-after": String(seconds) } };
      }
      default:
        return { status: 502, body };
    }
  }
  return { status: 500, body: { error: { code: "internal", message: "Internal error" } } };
}
