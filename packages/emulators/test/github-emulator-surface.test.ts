import { Octokit } from "octokit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GithubEmulator } from "../src/index";

// The surface every provider's emulator shares (`ProviderEmulator`): its OAuth client under one name, revoking a
// token, and going back to the seeded state between tests. Driven through the official SDK over loopback.

describe("GithubEmulator: oauthClient, revokeToken, reset", () => {
  const emulator = new GithubEmulator();
  const octokit = (token: string) =>
    new Octokit({ auth: token, baseUrl: emulator.apiUrl, retry: { enabled: false } });
  beforeAll(() => emulator.start());
  afterAll(() => emulator.stop());

  it("names its OAuth client as env() exports it", () => {
    const env = emulator.env();
    expect(emulator.oauthClient).toEqual({
      clientId: env.AUTOFLOW_GITHUB_CLIENT_ID,
      clientSecret: env.AUTOFLOW_GITHUB_CLIENT_SECRET,
    });
  });

  it("a revoked token answers 401 Bad credentials; an unknown one is not revoked", async () => {
    const token = emulator.mintToken();
    expect((await octokit(token).rest.users.getAuthenticated()).data.login).toBe("octocat");
    expect(emulator.revokeToken(token)).toBe(true);
    await expect(octokit(token).rest.users.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    expect(emulator.revokeToken("ghp_never_minted")).toBe(false);
  });

  it("reset forgets created issues and repositories' hooks, faults and the log, and keeps tokens working", async () => {
    const token = emulator.mintToken();
    const repo = { owner: "octo-org", repo: "hello" };
    const issue = await octokit(token).rest.issues.create({ ...repo, title: "before reset" });
    await octokit(token).rest.repos.createWebhook({ ...repo, config: { url: "http://127.0.0.1:9/hook" } });
    await emulator.injectFault("server-error");
    await emulator.reset();
    expect(emulator.requests).toEqual([]);
    await expect(
      octokit(token).rest.issues.get({ ...repo, issue_number: issue.data.number }),
    ).rejects.toMatchObject({
      status: 404,
    });
    expect((await octokit(token).rest.repos.listWebhooks(repo)).data).toEqual([]);
    // The seeded repository is back whole: its default branch and its second branch.
    expect((await octokit(token).rest.repos.get(repo)).data.default_branch).toBe("main");
    expect((await octokit(token).rest.git.getRef({ ...repo, ref: "heads/feature" })).data.ref).toBe(
      "refs/heads/feature",
    );
  });
});
