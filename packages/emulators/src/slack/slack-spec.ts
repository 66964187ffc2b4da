import type { RequestViolation } from "../shared/request-validation";
import { loadApiDescription } from "../shared/spec-document";
import type { EmulatorResponse } from "../shared/types";

/** Slack's whole Web API description (`specs/slack/web-api-all.json`, Swagger 2.0 from 2020): what the spec fallback answers and validates against. */
export function slackDescription() {
  return loadApiDescription("slack", "web-api-all.json");
}

/**
 * Slack's answer to arguments that break a method's description: HTTP 200, `invalid_arguments`, and one
 * `[ERROR]` line per argument in `response_metadata.messages`, as the Web API words them.
 */
export function slackInvalidArguments(violations: RequestViolation[]): EmulatorResponse {
  const messages = violations.map((v) =>
    v.code === "missing_field"
      ? `[ERROR] missing required field: ${v.field}`
      : `[ERROR] ${v.message} [json-pointer:/${v.field}]`,
  );
  return { status: 200, body: { ok: false, error: "invalid_arguments", response_metadata: { messages } } };
}

/**
 * Where Slack's 2020 description is older than the Web API or wrong about it: arguments the SDK sends and Slack
 * takes that the description refuses, as `method argument` with the reason. Empty today: what `@autoflow/slack`
 * sends conforms, `token` is read by the auth check (`credentialParameters`), and methods newer than the description
 * (`files.getUploadURLExternal`, `files.completeUploadExternal`) are not described, so not validated.
 */
const OUTDATED_ARGUMENTS: Readonly<Record<string, string>> = {};

/** Whether a violation is the description's fault (listed in `OUTDATED_ARGUMENTS`), not the caller's. */
export function slackDescriptionOutdated(violation: RequestViolation): boolean {
  const method = violation.operation.split(" /")[1] ?? "";
  return `${method} ${violation.field}` in OUTDATED_ARGUMENTS;
}
