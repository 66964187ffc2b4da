import type { RequestViolation } from "../shared/request-validation";
import type { SpecFormats } from "../shared/spec-ajv";
import { loadApiDescription } from "../shared/spec-document";
import type { SpecOperation } from "../shared/spec-operations";
import type { EmulatorResponse } from "../shared/types";
import { githubError, notFound } from "./github-wire";

/** GitHub's whole REST description (`specs/github/rest-all.json`): what the spec fallback answers and validates against. */
export function githubDescription() {
  return loadApiDescription("github", "rest-all.json");
}

/**
 * GitHub's own formats in its description: `repo.nwo` is `owner/name`. Generated answers also give emails as
 * octocat's, the account the emulator seeds.
 */
export const GITHUB_FORMATS: SpecFormats = {
  "repo.nwo": { pattern: /^[^/]+\/[^/]+$/, sample: "octocat/hello-world" },
  email: { sample: "octocat@example.com" },
};

/**
 * GitHub's answer to a request that breaks the description: 404 for a path segment that is not what the route
 * takes (`/issues/abc`), 400 "Problems parsing JSON" for a body that is not JSON, else 422 "Validation Failed"
 * with one `{ resource, field, code, message }` per violation.
 */
export function githubInvalidRequest(
  violations: RequestViolation[],
  operation: SpecOperation,
): EmulatorResponse {
  if (violations.some((v) => v.in === "path")) return notFound();
  if (violations.some((v) => v.code === "unparseable")) return githubError(400, "Problems parsing JSON");
  const resource = resourceOf(operation);
  return githubError(422, "Validation Failed", {
    errors: violations.map((v) => ({
      resource,
      field: v.field,
      code: v.code === "missing_field" ? "missing_field" : "invalid",
      message: `${v.field || "body"} ${v.message}`,
    })),
  });
}

/** GitHub names the resource in its errors (`Issue`, `Label`): the operation's namespace, singular. */
function resourceOf(operation: SpecOperation): string {
  const namespace = operation.operationId.split("/")[0] ?? "";
  const singular = namespace.replace(/ies$/, "y").replace(/s$/, "");
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}
