import { Octokit } from "octokit";
import { afterEach, expect, it } from "vitest";
import { killLeftovers } from "./cli-process";
import { field, runCli } from "./cli-run";

afterEach(killLeftovers);

it("--seed github=<owner>/<repo> adds the repository, visible to the printed token (octocat's)", async () => {
  const cli = runCli(["--providers", "github", "--seed", "github=acme/widgets"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const octokit = new Octokit({
    auth: field(output, "github", "Token"),
    baseUrl: field(output, "github", "API URL"),
  });

  expect((await octokit.rest.users.getAuthenticated()).data.login).toBe("octocat");
  expect((await octokit.rest.repos.get({ owner: "acme", repo: "widgets" })).data.full_name).toBe(
    "acme/widgets",
  );
});

it("--fault github=unauthorized answers every call with GitHub's 401 Bad credentials", async () => {
  const cli = runCli(["--providers", "github", "--fault", "github=unauthorized"]);
  const output = await cli.waitFor("Ctrl-C stops the emulators");
  const user = await fetch(`${field(output, "github", "API URL")}/user`, {
    headers: { authorization: `Bearer ${field(output, "github", "Token")}` },
  });
  expect(user.status).toBe(401);
  expect(await user.json()).toMatchObject({ message: "Bad credentials" });
});

it("refuses a seed that is not owner/name, with exit code 2", async () => {
  const exit = await runCli(["--seed", "github=not-a-repo"]).exited;
  expect(exit.code).toBe(2);
  expect(exit.stderr).toContain('"not-a-repo" is not a GitHub repository (owner/name)');
});
