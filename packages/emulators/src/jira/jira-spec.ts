import type { RequestViolation } from "../shared/request-validation";
import { loadApiDescription } from "../shared/spec-document";
import type { EmulatorResponse } from "../shared/types";
import { jiraError } from "./jira-wire";

/**
 * Atlassian's whole Jira Cloud platform description (`specs/jira/platform-all.json`, OpenAPI 3.0.1 from
 * `swagger-v3.v3.json`): what the spec fallback answers and validates against.
 */
export function jiraDescription() {
  return loadApiDescription("jira", "platform-all.json");
}

/** Jira's 400 for a request that breaks the description: the request-wide and per-field messages. */
export function jiraInvalidRequest(violations: RequestViolation[]): EmulatorResponse {
  const errors: Record<string, string> = {};
  const messages: string[] = [];
  for (const v of violations) {
    if (v.field === "") messages.push(v.message);
    else errors[v.field] = v.code === "missing_field" ? `${v.field} is required.` : `${v.field} ${v.message}`;
  }
  return jiraError(400, messages, errors);
}
