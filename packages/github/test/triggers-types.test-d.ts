import {
  defineJob,
  type PollingTrigger,
  type Trigger,
  type TriggerPayload,
  type WebhookTrigger,
} from "@autoflow/core";
import type {
  IssuesEvent,
  IssuesLabeledEvent,
  PullRequestClosedEvent,
  PullRequestOpenedEvent,
  ReleaseEvent,
  StarCreatedEvent,
} from "@octokit/webhooks-types";
import { describe, expectTypeOf, it } from "vitest";
import {
  Github,
  type GithubEventAction,
  type GithubStargazer,
  type IssuesOpenedEvent,
  type PullRequestEvent,
  type PushEvent,
} from "../src/index";

// Type-level behaviour, checked by `tsc` (typecheck); no trigger fires here.
const github = new Github({ id: "types", token: "ghp_types_only_0000000000" });
const REPO = { owner: "octo-org", repo: "hello" };

describe("trigger types", () => {
  it("gives a job with onIssueOpened the IssuesOpenedEvent payload", () => {
    const job = defineJob({
      id: "typed",
      trigger: github.onIssueOpened(REPO),
      run: async (payload) => {
        expectTypeOf(payload).toEqualTypeOf<IssuesOpenedEvent>();
        expectTypeOf(payload.issue.state).toEqualTypeOf<"open">();
        return payload.issue.number;
      },
    });
    expectTypeOf(job.trigger).toEqualTypeOf<Trigger<IssuesOpenedEvent> | undefined>();
  });

  it("types onPush, onPullRequest (narrowed by action) and onEvent from GitHub's published payloads", () => {
    expectTypeOf(github.onPush({ ...REPO, ref: "main" })).toEqualTypeOf<WebhookTrigger<PushEvent>>();
    expectTypeOf(github.onPullRequest(REPO)).toEqualTypeOf<WebhookTrigger<PullRequestEvent>>();
    expectTypeOf(github.onPullRequest({ ...REPO, action: "opened" })).toEqualTypeOf<
      WebhookTrigger<PullRequestOpenedEvent>
    >();
    expectTypeOf<TriggerPayload<ReturnType<typeof closed>>>().toEqualTypeOf<PullRequestClosedEvent>();
    expectTypeOf(github.onEvent("issues")).toEqualTypeOf<WebhookTrigger<IssuesEvent>>();
    expectTypeOf(github.onEvent("issues", { action: "labeled" })).toEqualTypeOf<
      WebhookTrigger<IssuesLabeledEvent>
    >();
    expectTypeOf(github.onEvent("release", { owner: "octo-org" })).toEqualTypeOf<
      WebhookTrigger<ReleaseEvent>
    >();
    expectTypeOf(github.onEvent("star", { ...REPO, action: "created" })).toEqualTypeOf<
      WebhookTrigger<StarCreatedEvent>
    >();
    expectTypeOf<GithubEventAction<"push">>().toBeNever();
  });

  it("types onNewStar's items as stargazers with starred_at", () => {
    const trigger = github.onNewStar(REPO);
    expectTypeOf(trigger).toEqualTypeOf<PollingTrigger<GithubStargazer>>();
    expectTypeOf<GithubStargazer["starred_at"]>().toEqualTypeOf<string>();
  });

  it("rejects actions an event does not have, and filters it does not take", () => {
    const wrong = () => {
      // @ts-expect-error issues has no "merged" action
      github.onEvent("issues", { action: "merged" });
      // @ts-expect-error push has no actions at all
      github.onEvent("push", { action: "opened" });
      // @ts-expect-error no such event
      github.onEvent("issue", {});
      // @ts-expect-error pull_request has no "created" action
      github.onPullRequest({ ...REPO, action: "created" });
      // @ts-expect-error onIssueOpened needs the repository
      github.onIssueOpened({ owner: "octo-org" });
      defineJob({
        id: "wrong",
        trigger: github.onIssueOpened(REPO),
        // @ts-expect-error an opened issue's payload has no pull_request
        run: async (payload) => payload.pull_request,
      });
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

const closed = () => github.onPullRequest({ ...REPO, action: "closed" });
