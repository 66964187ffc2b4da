/**
 * @module
 * The bench's type-check consumer files (section 3b): the README's quick example reduced to one post, and the
 * same post with the bare SDK.
 */

/** What a consumer of `@autoflow/slack` writes. */
export const OUR_CONSUMER = `import { defineJob, JobRunner } from "@autoflow/core";
import { Slack } from "@autoflow/slack";

const slack = new Slack({ id: "slack", token: "xoxb-bench" });

const job = defineJob({
  id: "deploy-notice",
  integrations: { slack },
  run: async (payload: { url: string }, io) => {
    const posted = await io.slack.chat.postMessage("announce", {
      channel: "#general",
      text: \`Deployed: \${payload.url}\`,
    });
    return posted.ts;
  },
});

const result = await new JobRunner().run(job, { payload: { url: "https://example.com" } });
export const status: string = result.status;
`;

/** The same post with the bare SDK. */
export const BARE_CONSUMER = `import { WebClient } from "@slack/web-api";

const client = new WebClient("xoxb-bench");
const url = "https://example.com";
const posted = await client.chat.postMessage({ channel: "#general", text: \`Deployed: \${url}\` });
export const ts: string | undefined = posted.ts;
`;
