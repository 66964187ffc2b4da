import type { WebhookDelivery } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { Github } from "../src/index";

// What each factory's `matches` lets through: event, action, repository (case-insensitive) and ref.
const github = new Github({ id: "github", token: "ghp_matching_only_000000000" });
const REPO = { owner: "octo-org", repo: "hello" };

function delivery(
  event: string,
  payload: Record<string, unknown>,
  fullName = "octo-org/hello",
): WebhookDelivery {
  const [owner = ""] = fullName.split("/");
  const action = typeof payload.action === "string" ? payload.action : undefined;
  return {
    provider: "github",
    deliveryId: `d-${Math.random()}`,
    event,
    ...(action !== undefined && { action }),
    payload: { ...payload, repository: { full_name: fullName, owner: { login: owner } } },
    receivedAt: new Date(0).toISOString(),
  } as WebhookDelivery;
}

describe("GitHub trigger matching", () => {
  it("onIssueOpened: issues.opened in that repository only, whatever the letter case", () => {
    const trigger = github.onIssueOpened(REPO);
    expect(trigger).toMatchObject({
      kind: "webhook",
      provider: "github",
      title: "GitHub: issue opened in octo-org/hello",
    });
    expect(trigger.matches(delivery("issues", { action: "opened" }))).toBe(true);
    expect(trigger.matches(delivery("issues", { action: "opened" }, "Octo-Org/Hello"))).toBe(true);
    expect(trigger.matches(delivery("issues", { action: "closed" }))).toBe(false);
    expect(trigger.matches(delivery("issue_comment", { action: "opened" }))).toBe(false);
    expect(trigger.matches(delivery("issues", { action: "opened" }, "octo-org/hello-2"))).toBe(false);
    expect(trigger.matches(delivery("issues", { action: "opened" }, "other/hello"))).toBe(false);
    const opened = delivery("issues", { action: "opened", issue: { number: 3 } });
    expect(trigger.payloadOf(opened)).toBe(opened.payload);
  });

  it("onPush: any ref, or one branch given by name or full ref", () => {
    const main = delivery("push", { ref: "refs/heads/main" });
    const tag = delivery("push", { ref: "refs/tags/v1" });
    expect(github.onPush(REPO).matches(main) && github.onPush(REPO).matches(tag)).toBe(true);
    expect(github.onPush({ ...REPO, ref: "main" }).matches(main)).toBe(true);
    expect(github.onPush({ ...REPO, ref: "main" }).matches(tag)).toBe(false);
    expect(github.onPush({ ...REPO, ref: "refs/tags/v1" }).matches(tag)).toBe(true);
    expect(github.onPush({ ...REPO, ref: "main" }).title).toBe(
      "GitHub: push to refs/heads/main in octo-org/hello",
    );
  });

  it("onPullRequest and onEvent: every action unless one is given; an owner alone matches all its repositories", () => {
    const opened = delivery("pull_request", { action: "opened" });
    const closed = delivery("pull_request", { action: "closed" });
    expect([github.onPullRequest(REPO).matches(opened), github.onPullRequest(REPO).matches(closed)]).toEqual([
      true,
      true,
    ]);
    const onlyClosed = github.onPullRequest({ ...REPO, action: "closed" });
    expect([onlyClosed.matches(opened), onlyClosed.matches(closed)]).toEqual([false, true]);
    expect(onlyClosed.title).toBe("GitHub: pull request closed in octo-org/hello");

    const release = github.onEvent("release", { owner: "octo-org" });
    expect(release.matches(delivery("release", { action: "published" }, "octo-org/other"))).toBe(true);
    expect(release.matches(delivery("release", { action: "published" }, "someone/other"))).toBe(false);
    expect(github.onEvent("ping").matches(delivery("ping", { zen: "hi" }, "anyone/anything"))).toBe(true);
    expect(github.onEvent("issues", { action: "labeled" }).title).toBe("GitHub: issues.labeled");
    expect(() => github.onEvent("issues", { repo: "hello" })).toThrow(/`repo` needs `owner`/);
  });
});
