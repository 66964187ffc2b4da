import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Slack } from "../index";
import { slackAction } from "./slack-action";

/** `slack.addReaction` -> `reactions.add`. */
export const slackAddReaction = defineAction({
  ...slackAction,
  key: "slack.addReaction",
  name: "Add reaction",
  description: "Adds an emoji reaction to a message.",
  inputSchema: z.object({
    channel: z.string().min(1).describe("Channel ID of the message"),
    timestamp: z.string().min(1).describe("The message's ts"),
    name: z.string().min(1).describe("Emoji name, with or without colons: thumbsup or :thumbsup:"),
  }),
  examples: [
    { channel: "C0123ABCD", timestamp: "1712345678.123456", name: "white_check_mark" },
    { channel: "C0123ABCD", timestamp: "1712345678.123456", name: ":eyes:" },
  ],
  outputSchema: z.object({ channel: z.string(), timestamp: z.string(), name: z.string() }),
  run: async (ctx) => {
    const { channel, timestamp } = ctx.inputs;
    const name = ctx.inputs.name.replace(/^:|:$/g, "");
    await integrationFor(ctx, Slack).reactions.add("reactions.add", { channel, timestamp, name });
    return { channel, timestamp, name };
  },
});
