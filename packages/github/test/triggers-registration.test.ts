import type { ConnectionAuth } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Github, generateGithubWebhookSecret, unregisterGithubRegistration } from "../src/index";

// The registration a repository-scoped trigger carries, against the emulator's hooks API over loopback.
const emulator = new GithubEmulator();
let auth: ConnectionAuth;
// Nothing listens here: the emulator's pings fail, which registration does not wait for.
const URL_OF_SERVICE = "http://127.0.0.1:9/api/webhooks/github/conn-1";

beforeAll(async () => {
  await emulator.start();
  auth = { type: "oauth2", accessToken: emulator.mintToken({ scopes: ["repo", "admin:repo_hook"] }) };
});
afterAll(async () => {
  await emulator.stop();
});

const hooksOf = (owner: string, repo: string) => emulator.state.repo(owner, repo)?.hooks ?? [];

describe("GitHub trigger registration", () => {
  it("creates the repository hook for the trigger's event with the given secret, and removes it", async () => {
    // Without a token: the registration gets the connection's auth, and the instance's baseUrl.
    const github = new Github({ id: "github", baseUrl: emulator.url });
    const registration = github.onIssueOpened({ owner: "octo-org", repo: "hello" }).registration;
    if (!registration) throw new Error("a repository trigger has a registration");
    expect(registration.key).toBe("github:octo-org/hello:issues");

    const secret = generateGithubWebhookSecret();
    const { externalId } = await registration.register({ url: URL_OF_SERVICE, auth, secret });
    const hook = hooksOf("octo-org", "hello").find((h) => String(h.id) === externalId);
    expect(hook).toMatchObject({
      active: true,
      events: ["issues"],
      config: { url: URL_OF_SERVICE, content_type: "json", secret },
    });

    await registration.unregister({ auth, externalId });
    expect(hooksOf("octo-org", "hello").some((h) => String(h.id) === externalId)).toBe(false);
    // Already gone: not an error.
    await expect(registration.unregister({ auth, externalId })).resolves.toBeUndefined();
  });

  it("keys hooks by repository and event, and a key alone is enough to remove one", async () => {
    const github = new Github({ id: "github", baseUrl: emulator.url });
    const push = github.onPush({ owner: "Octo-Org", repo: "Hello", ref: "main" }).registration;
    const pulls = github.onPullRequest({ owner: "octo-org", repo: "hello", action: "opened" }).registration;
    const closed = github.onEvent("issues", {
      owner: "octo-org",
      repo: "hello",
      action: "closed",
    }).registration;
    expect([push?.key, pulls?.key, closed?.key]).toEqual([
      "github:octo-org/hello:push",
      "github:octo-org/hello:pull_request",
      // The same hook as onIssueOpened's: one hook per repository and event, whatever the action.
      "github:octo-org/hello:issues",
    ]);
    if (!push) throw new Error("a repository trigger has a registration");

    const { externalId } = await push.register({
      url: URL_OF_SERVICE,
      auth,
      secret: generateGithubWebhookSecret(),
    });
    expect(hooksOf("octo-org", "hello").find((h) => String(h.id) === externalId)?.events).toEqual(["push"]);
    // What the service does once the job is gone: only the stored key and hook id are left.
    await unregisterGithubRegistration({ baseUrl: emulator.url, key: push.key, externalId, auth });
    expect(hooksOf("octo-org", "hello").some((h) => String(h.id) === externalId)).toBe(false);
  });

  it("has no registration without a repository", () => {
    const github = new Github({ id: "github", baseUrl: emulator.url });
    expect(github.onEvent("issues").registration).toBeUndefined();
    expect(github.onEvent("issues", { owner: "octo-org" }).registration).toBeUndefined();
  });

  it("refuses to remove a hook by a key that is not a GitHub registration's", async () => {
    await expect(
      unregisterGithubRegistration({ baseUrl: emulator.url, key: "slack:T1", externalId: "1", auth }),
    ).rejects.toThrow(/Not a GitHub webhook registration/);
  });
});
