import { defineJob, IntegrationError, type Job, type TriggerPayload } from "@autoflow/core";
import type { Github } from "@autoflow/github";
import type { Slack } from "@autoflow/slack";

export interface ReactionToIssueOptions {
  github: Github;
  slack: Slack;
  /** `owner/repo` the issues are filed in. */
  repository: string;
  /** Channel id to watch; every channel the app is in when omitted. */
  channel?: string;
  /** The emoji that files an issue, without colons. Default `ticket`. */
  reaction?: string;
}

/** The run's payload: Slack's `reaction_added` event and its envelope's identity. */
export type ReactionAddedPayload = TriggerPayload<ReturnType<Slack["onReactionAdded"]>>;

/** Filed, or skipped because another reaction filed the message first. */
export type ReactionToIssueOutput =
  | { filed: true; issue: string; number: number }
  | { filed: false; reason: string };

// The app's own reaction on a filed message: the "already filed" marker, and the claim on it.
const FILED = "white_check_mark";

/**
 * React with :ticket: on a Slack message to file it as a GitHub issue: the issue gets the message's
 * text and a link back to it, and the app answers in the message's thread with the issue's link.
 *
 * Shows: a Slack Events API trigger (`onReactionAdded`), reading the message the event points at,
 * and `io.try` around a task whose failure is an answer, not an error: the app claims the message
 * by adding its own ✅ reaction first, and Slack's `already_reacted` means someone else's :ticket:
 * already filed it, so two people reacting never file two issues.
 */
export function reactionToIssue({
  github,
  slack,
  repository,
  channel,
  reaction = "ticket",
}: ReactionToIssueOptions): Job<
  { github: Github; slack: Slack },
  ReactionAddedPayload,
  ReactionToIssueOutput
> {
  const [owner = "", repo = ""] = repository.split("/");
  return defineJob({
    id: "reaction-to-issue",
    trigger: slack.onReactionAdded({ reaction, ...(channel !== undefined && { channel }) }),
    integrations: { github, slack },
    run: async ({ event }, io): Promise<ReactionToIssueOutput> => {
      const { channel: where, ts } = event.item;

      // The event only names the message: read it (latest + inclusive + limit 1 is that one message).
      const history = await io.slack.conversations.history("read-message", {
        channel: where,
        latest: ts,
        inclusive: true,
        limit: 1,
      });
      // A reply inside a thread is not in the channel's history; the nearest older message would be.
      const message = history.messages?.find((m) => m.ts === ts);
      if (!message) return { filed: false, reason: "not a top-level message" };

      const claimed = await io.try(
        async () => {
          await io.slack.reactions.add("claim", { channel: where, timestamp: ts, name: FILED });
          return true;
        },
        async (error) => {
          if (IntegrationError.isInstance(error) && error.code === "already_reacted") return false;
          throw error;
        },
      );
      if (!claimed) return { filed: false, reason: "already filed" };

      const text = message.text ?? "";
      const permalink = await io.slack.chat.getPermalink("permalink", { channel: where, message_ts: ts });

      const issue = await io.github.issues.create("file-issue", {
        owner,
        repo,
        title: titleOf(text),
        body: `${text}\n\n---\nFiled from Slack by <@${event.user}>: ${permalink.permalink}`,
        labels: ["from-slack"],
      });

      await io.slack.chat.postMessage("reply-in-thread", {
        channel: where,
        thread_ts: ts,
        text: `:ticket: Filed as <${issue.html_url}|${repository}#${issue.number}>`,
        unfurl_links: false,
      });
      return { filed: true, issue: issue.html_url, number: issue.number };
    },
  });
}

/** The message's first line, shortened: a title, with the whole text in the body. */
function titleOf(text: string): string {
  const firstLine = text.split("\n", 1)[0]?.trim() || "Filed from Slack";
  return firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
}
