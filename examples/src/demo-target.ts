import { Github } from "@autoflow/github";
import { Slack } from "@autoflow/slack";
import { issueToSlack } from "./jobs/issue-to-slack";

/** Where the demo's job runs: the emulators or the real APIs. Passed to the worker process as JSON. */
export interface DemoTarget {
  github: { token: string; baseUrl?: string };
  slack: { token: string; slackApiUrl?: string };
  repository: string;
  channel: string;
}

/** The example job wired to a target; the demo and its worker process build it the same way. */
export function demoJob(target: DemoTarget) {
  const github = new Github({ id: "github", ...target.github });
  const slack = new Slack({ id: "slack", ...target.slack });
  return issueToSlack({ github, slack, repository: target.repository, channel: target.channel });
}
