import { expect, it } from "vitest";
import { GITHUB_FORMATS } from "../src/github/github-spec";
import { GithubEmulator } from "../src/index";
import { specCoverage } from "../src/shared/spec-coverage";
import { describeSpecCoverage } from "./spec-coverage-suite";

describeSpecCoverage({
  provider: "github",
  server: () => new GithubEmulator().server,
  description: "rest-all.json",
  formats: GITHUB_FORMATS,
  undescribedRoutes: {
    // The OAuth web flow is github.com's, not the REST API's.
    "GET /login/oauth/authorize": "OAuth web flow",
    "POST /login/oauth/access_token": "OAuth web flow",
    // A ref with its slash unencoded (`git/ref/heads/main`): the same operations as `:ref`, which Octokit sends encoded.
    "GET /repos/:owner/:repo/git/ref/:kind/:name": "unencoded ref",
    "PATCH /repos/:owner/:repo/git/refs/:kind/:name": "unencoded ref",
    "GET /api/v3/repos/:owner/:repo/git/ref/:kind/:name": "unencoded ref",
    "PATCH /api/v3/repos/:owner/:repo/git/refs/:kind/:name": "unencoded ref",
  },
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
});
