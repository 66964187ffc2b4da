import { defineJob } from "@autoflow/core";
import type { Github } from "@autoflow/github";
import type { Slack } from "@autoflow/slack";

export interface IssueToSlackOptions {
  github: Github;
  slack: Slack;
  /** `owner/repo` whose new issues start the job. */
  repository: string;
  /** Channel id the announcement goes to. */
  channel: string;
}

/**
 * When an issue is opened on GitHub: announce it in Slack with a link, and link the Slack message
 * back on the issue. Started by GitHub's `issues.opened` webhook; each step is a task, so a crash or
 * a retry never announces twice.
 */
export function issueToSlack({ github, slack, repository, channel }: IssueToSlackOptions) {
  const [owner = "", repo = ""] = repository.split("/");
  return defineJob({
    id: "issue-to-slack",
    trigger: github.onIssueOpened({ owner, repo }),
    integrations: { github, slack },
    run: async ({ issue }, io) => {
      const message = await io.slack.chat.postMessage("announce", {
        channel,
        text: `New issue <${issue.html_url}|#${issue.number} ${issue.title}> opened by ${issue.user.login}`,
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
