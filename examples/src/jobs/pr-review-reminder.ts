import { defineJob, type Job } from "@autoflow/core";
import type { Github, GithubEventPayload } from "@autoflow/github";
import type { Slack } from "@autoflow/slack";

export interface PrReviewReminderOptions {
  github: Github;
  slack: Slack;
  /** `owner/repo` whose new pull requests start the job. */
  repository: string;
  /** Channel id where reviews are asked for. */
  channel: string;
  /** How long a pull request may wait for a review before the reminder. Default one day. */
  remindAfterSeconds?: number;
}

/** What a run ends with: whether the nudge went out, and the pull request's state after the wait. */
export interface PrReviewReminderOutput {
  pullRequest: string;
  reminded: boolean;
  state: string;
}

/**
 * When a pull request is opened: ask for a review in Slack, wait a day, and if the pull request is
 * still open then, nudge in the same Slack thread.
 *
 * Shows: a webhook trigger narrowed to one action (`onPullRequest({ action: "opened" })`), and a
 * long `io.wait` that suspends the run instead of holding a process for a day. When the run resumes
 * (in whichever worker picks it up), the steps before the wait replay from the task log, so the
 * first message is never posted twice, and the thread it started is still known.
 */
export function prReviewReminder({
  github,
  slack,
  repository,
  channel,
  remindAfterSeconds = 24 * 60 * 60,
}: PrReviewReminderOptions): Job<
  { github: Github; slack: Slack },
  GithubEventPayload<"pull_request", "opened">,
  PrReviewReminderOutput
> {
  const [owner = "", repo = ""] = repository.split("/");
  return defineJob({
    id: "pr-review-reminder",
    trigger: github.onPullRequest({ owner, repo, action: "opened" }),
    integrations: { github, slack },
    run: async ({ pull_request: pr }, io) => {
      // A draft is not asking for review yet.
      if (pr.draft) return { pullRequest: pr.html_url, reminded: false, state: "draft" };

      const link = `<${pr.html_url}|#${pr.number} ${pr.title}>`;
      const ask = await io.slack.chat.postMessage("ask-for-review", {
        channel,
        text: `:eyes: ${link} by ${pr.user.login} is ready for review`,
        unfurl_links: false,
      });

      await io.wait("review-window", remindAfterSeconds);

      // Read the pull request as it is now, after the wait, not as the webhook described it.
      const now = await io.github.pulls.get("check-state", { owner, repo, pull_number: pr.number });
      if (now.state !== "open") return { pullRequest: pr.html_url, reminded: false, state: now.state };

      await io.slack.chat.postMessage("remind", {
        channel: ask.channel ?? channel,
        thread_ts: ask.ts ?? "",
        text: `:hourglass: ${link} is still waiting for a review. Could someone take a look?`,
        unfurl_links: false,
      });
      return { pullRequest: pr.html_url, reminded: true, state: now.state };
    },
  });
}
