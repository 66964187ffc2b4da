import { describe, expect, it } from "vitest";
import { SPEC_SOURCES } from "../scripts/specs-sources.mjs";
import { GithubEmulator, SlackEmulator } from "../src/index";
import type { EmulatorServer } from "../src/shared/emulator-server";
import { specCoverage } from "../src/shared/spec-coverage";
import { loadDerivedSpec, OperationValidator } from "./openapi-conformance";

/**
 * Per provider: its emulator, its whole committed description, and the routes that are not described operations
 * (so no subset entry can list them), each with the reason.
 */
const PROVIDERS = [
  {
    provider: "github",
    server: () => new GithubEmulator().server,
    description: "rest-all.json",
    undescribedRoutes: {
      // The OAuth web flow is github.com's, not the REST API's.
      "GET /login/oauth/authorize": "OAuth web flow",
      "POST /login/oauth/access_token": "OAuth web flow",
      // A ref with its slash unencoded (`git/ref/heads/main`): the same operations as `:ref`, which Octokit sends encoded.
      "GET /repos/:owner/:repo/git/ref/:kind/:name": "unencoded ref",
      "PATCH /repos/:owner/:repo/git/refs/:kind/:name": "unencoded ref",
      "GET /api/v3/repos/:owner/:repo/git/ref/:kind/:name": "unencoded ref",
      "PATCH /api/v3/repos/:owner/:repo/git/refs/:kind/:name": "unencoded ref",
    } as Record<string, string>,
  },
  {
    provider: "slack",
    server: () => new SlackEmulator().server,
    description: "web-api-all.json",
    undescribedRoutes: {
      // Newer than the 2020 description: the steps of `files.uploadV2`.
      "* /api/files.getUploadURLExternal": "newer than the description",
      "* /api/files.completeUploadExternal": "newer than the description",
      // Not Web API methods: the browser's OAuth page and the upload URL `files.getUploadURLExternal` hands out.
      "GET /oauth/v2/authorize": "OAuth web flow",
      "POST /upload/v1/:fileId": "file upload URL",
    } as Record<string, string>,
  },
] as const;

/** The operations a provider's conformance subset lists (`specs-sources.mjs`, extract `operations`). */
function subsetOf(provider: string): string[] {
  return (SPEC_SOURCES[provider] ?? [])
    .filter((e) => e.extract === "operations")
    .flatMap((e) => e.select ?? []);
}

describe.each(PROVIDERS)("$provider: the description and the emulator", (p) => {
  const server: EmulatorServer = p.server();

  it("answers every described operation with no route with a body its response schema accepts (ajv), or lists it missing", () => {
    const validator = new OperationValidator(loadDerivedSpec(p.provider, p.description));
    const spec = server.spec;
    if (!spec) throw new Error("no description");
    const violations: string[] = [];
    for (const operation of spec.operations.all) {
      const answer = spec.answerFor(operation);
      if (answer.kind === "missing") continue;
      violations.push(...validator.validateResponse(operation.key, answer.status, answer.body));
    }
    expect(violations).toEqual([]);
    expect(spec.operations.all.length).toBe(validator.operations.length);
  });

  it("has a stateful route for exactly the operations its conformance subset lists, both ways", () => {
    const coverage = specCoverage(server);
    expect(coverage.stateful).toEqual([...subsetOf(p.provider)].sort());
    // Every route is a described operation, or an undescribed one listed above with its reason.
    const spec = server.spec;
    const unlisted = server.routes
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => {
        const [method = "", path = ""] = route.split(" ");
        const served = spec?.operations.all.some(
          (o) => (method === "*" || o.method === method) && spec.operations.serves(path, o),
        );
        return !served && !(route in p.undescribedRoutes);
      });
    expect(unlisted).toEqual([]);
  });
});

it("lists as missing only GitHub's download redirects (a 302 to an archive or log, no 2xx described)", () => {
  const github = specCoverage(new GithubEmulator().server);
  expect(new Set(github.missing.map((m) => m.reason))).toEqual(new Set(["no 2xx response is described"]));
  expect(github.missing.map((m) => m.operation)).toEqual([
    "GET /orgs/{org}/migrations/{migration_id}/archive",
    "GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}",
    "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs",
    "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/logs",
    "GET /repos/{owner}/{repo}/actions/runs/{run_id}/logs",
    "GET /repos/{owner}/{repo}/tarball/{ref}",
    "GET /repos/{owner}/{repo}/zipball/{ref}",
    "GET /user/migrations/{migration_id}/archive",
  ]);
  expect(specCoverage(new SlackEmulator().server).missing).toEqual([]);
});
