import { defineJob, type IO, type Job } from "@autoflow/core";
import type { Github } from "@autoflow/github";
import type { Slack } from "@autoflow/slack";

export interface DailyDigestOptions {
  github: Github;
  slack: Slack;
  /** `owner/repo` to report on. */
  repository: string;
  /** Channel id the digest goes to. */
  channel: string;
  /** From the morning snapshot to the evening digest. Default 8 hours. */
  workdaySeconds?: number;
}

/** Start one run a day from your scheduler, with the run id `daily-digest:<day>`: a re-fired schedule is the same run. */
export interface DailyDigestPayload {
  /** The day reported on, e.g. `2026-11-23`. */
  day: string;
}

export interface DailyDigestOutput {
  day: string;
  opened: number;
  closed: number;
  stillOpen: number;
  /** How many Slack section blocks the issue list took. */
  sections: number;
}

/** What the log keeps of an issue: the few fields the digest shows, not GitHub's whole object. */
interface IssueLine {
  number: number;
  title: string;
  url: string;
}

// Slack's limits: 3,000 characters in a section's text, 50 blocks in a message.
const SECTION_TEXT_LIMIT = 3_000;
const MAX_BLOCKS = 50;

/**
 * An end-of-day digest in Slack: which issues were opened and closed today, and what is still open.
 *
 * Shows: `io.wait` between two steps of one run. The morning snapshot of open issues is a task; the
 * run then suspends for the workday (no process holds it) and resumes in the evening, possibly in
 * another worker. The snapshot is replayed from the task log, not fetched again, which is what makes
 * "closed today" a difference between the morning and the evening. Also: a paginated listing in one
 * task through the Octokit escape hatch (`io.github.runTask`), and a long list split into Slack
 * section blocks within Slack's limits.
 */
export function dailyDigest({
  github,
  slack,
  repository,
  channel,
  workdaySeconds = 8 * 60 * 60,
}: DailyDigestOptions): Job<{ github: Github; slack: Slack }, DailyDigestPayload, DailyDigestOutput> {
  const [owner = "", repo = ""] = repository.split("/");

  /** Every open issue (pull requests left out), every page, as one task. */
  const listOpenIssues = (io: IO & { github: Github }, key: string) =>
    io.github.runTask(
      key,
      async (octokit): Promise<IssueLine[]> => {
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
          owner,
          repo,
          state: "open",
          per_page: 100,
        });
        return issues
          .filter((issue) => !issue.pull_request)
          .map((issue) => ({ number: issue.number, title: issue.title, url: issue.html_url }));
      },
      { name: "List Open Issues", properties: [{ label: "Repository", text: repository }] },
    );

  return defineJob({
    id: "daily-digest",
    integrations: { github, slack },
    run: async ({ day }, io) => {
      const morning = await listOpenIssues(io, "morning-snapshot");
      await io.wait("workday", workdaySeconds);
      const evening = await listOpenIssues(io, "evening-snapshot");

      const before = new Set(morning.map((issue) => issue.number));
      const after = new Set(evening.map((issue) => issue.number));
      const opened = evening.filter((issue) => !before.has(issue.number));
      const closed = morning.filter((issue) => !after.has(issue.number));

      const sections = [
        ...listSections(`*Opened today (${opened.length})*`, opened),
        ...listSections(`*Closed today (${closed.length})*`, closed),
        ...listSections(`*Still open (${evening.length})*`, evening),
      ];
      // Header and summary take two blocks; a very long list is cut, with a link to the rest.
      const room = MAX_BLOCKS - 2;
      const shown =
        sections.length > room
          ? [...sections.slice(0, room - 1), moreOnGithub(evening[0] ?? morning[0])]
          : sections;
      const summary = `${repository} on ${day}: ${opened.length} opened, ${closed.length} closed, ${evening.length} open`;

      await io.slack.chat.postMessage("post-digest", {
        channel,
        text: summary,
        unfurl_links: false,
        blocks: [
          { type: "header", text: { type: "plain_text", text: `Issues digest for ${day}` } },
          { type: "section", text: { type: "mrkdwn", text: summary } },
          ...shown,
        ],
      });
      return {
        day,
        opened: opened.length,
        closed: closed.length,
        stillOpen: evening.length,
        sections: shown.length,
      };
    },
  });
}

type SectionBlock = { type: "section"; text: { type: "mrkdwn"; text: string } };

/** A titled list as section blocks, each within Slack's text limit; nothing for an empty list. */
function listSections(title: string, issues: IssueLine[]): SectionBlock[] {
  if (issues.length === 0) return [];
  const texts: string[] = [];
  let current = title;
  for (const issue of issues) {
    const line = `\n• <${issue.url}|#${issue.number}> ${escapeMrkdwn(issue.title)}`;
    if (current.length + line.length > SECTION_TEXT_LIMIT) {
      texts.push(current);
      current = line.trimStart();
    } else current += line;
  }
  texts.push(current);
  return texts.map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

/** A last block linking to the repository's issues (derived from an issue's URL, so GitHub Enterprise works too). */
function moreOnGithub(anyIssue: IssueLine | undefined): SectionBlock {
  const url = anyIssue?.url.replace(/\/\d+$/, "") ?? "";
  return { type: "section", text: { type: "mrkdwn", text: `…and more: <${url}|all issues>` } };
}

/** Slack's mrkdwn needs `&`, `<` and `>` escaped, or a title could break a link or mention someone. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
