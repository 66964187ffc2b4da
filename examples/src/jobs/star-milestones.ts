import { defineJob } from "@autoflow/core";
import type { Github } from "@autoflow/github";
import type { Slack } from "@autoflow/slack";

export interface StarMilestonesOptions {
  /** Needs a token of its own: polls run outside any job run. */
  github: Github;
  slack: Slack;
  /** `owner/repo` to watch. */
  repository: string;
  /** Channel id the thanks go to. */
  channel: string;
  /** A milestone every this many stars. Default 100. */
  every?: number;
  /** How often to poll GitHub. Default one minute. */
  intervalMs?: number;
}

const MILESTONE_LABEL = "star-milestone";

/**
 * Thank every new stargazer in Slack, and open a celebration issue each time the star count passes
 * a multiple of `every`.
 *
 * Shows: a polling trigger (`onNewStar`, no webhook needed) whose cursor lives in the dispatcher's
 * store, so a restarted worker neither repeats nor misses a star; and a decision made from
 * GitHub's state, not from counting runs: one poll can bring several stars (each run then sees the
 * same total), so the milestone is derived from `stargazers_count` and an existing issue for it is
 * looked up before one is created. (A poll that passes two milestones at once celebrates the higher.)
 */
export function starMilestones({
  github,
  slack,
  repository,
  channel,
  every = 100,
  intervalMs = 60_000,
}: StarMilestonesOptions) {
  const [owner = "", repo = ""] = repository.split("/");
  return defineJob({
    id: "star-milestones",
    trigger: github.onNewStar({ owner, repo, intervalMs }),
    integrations: { github, slack },
    run: async (star, io) => {
      const login = star.user?.login ?? "someone";
      await io.slack.chat.postMessage("thank", {
        channel,
        text: `:star: <${star.user?.html_url}|${login}> starred ${repository}. Thank you!`,
        unfurl_links: false,
      });

      const { stargazers_count: stars } = await io.github.repos.get("count-stars", { owner, repo });
      const milestone = Math.floor(stars / every) * every;
      if (milestone === 0) return { stargazer: login, stars };

      const title = `${repository} reached ${milestone} stars 🎉`;
      const celebrated = await io.github.issues.listForRepo("find-celebration", {
        owner,
        repo,
        labels: MILESTONE_LABEL,
        state: "all",
        per_page: 100,
      });
      if (celebrated.some((issue) => issue.title === title)) return { stargazer: login, stars };

      const issue = await io.github.issues.create("celebrate", {
        owner,
        repo,
        title,
        body: `We passed ${milestone} stars (${stars} now, the latest from ${login}). Thank you, everyone!`,
        labels: [MILESTONE_LABEL],
      });
      return { stargazer: login, stars, milestone, issue: issue.html_url };
    },
  });
}
