import { defineJob } from "@autoflow/core";
import type { Github } from "@autoflow/github";
import type { Slack } from "@autoflow/slack";

export interface IssueToSlackOptions {
  github: Github;
  slack: Slack;
  /** `owner/repo` where the issue is opened. */
  repository: string;
  /** Channel id or name the announcement goes to. */
  channel: string;
}

export type IssueToSlackPayload = { title: string; body: string };

/**
 * Opens a GitHub issue, announces it in Slack with a link, and links the Slack thread back on the
 * issue. Each step is a task: a crash or a retry never opens the issue twice.
 */
export function issueToSlack({ github, slack, repository, channel }: IssueToSlackOptions) {
  const [owner = "", repo = ""] = repository.split("/");
  return defineJob({
    id: "issue-to-slack",
    integrations: { github, slack },
    run: async (payload: IssueToSlackPayload, io) => {
      const issue = await io.github.issues.create("open-issue", {
        owner,
        repo,
        title: payload.title,
        body: payload.body,
        labels: ["autoflow-demo"],
      });

      const message = await io.slack.chat.postMessage("announce", {
        channel,
        text: `New issue <${issue.html_url}|#${issue.number} ${issue.title}>`,
        unfurl_links: false,
      });

      // No hand-written task exists for chat.getPermalink: the typed passthrough makes it one.
      const permalink = await io.slack.chat.getPermalink("permalink", {
        channel: message.channel ?? channel,
        message_ts: message.ts ?? "",
      });

      await io.github.issues.createComment("link-back", {
        owner,
        repo,
        issue_number: issue.number,
        body: `Discussed in Slack: ${permalink.permalink}`,
      });

      return { issue: issue.html_url, issueNumber: issue.number, slackMessage: permalink.permalink };
    },
  });
}
