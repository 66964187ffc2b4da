import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Slack } from "../index";
import { slackAction } from "./slack-action";

/** `slack.sendMessage` (spec 002's example) -> `chat.postMessage`. */
export const slackSendMessage = defineAction({
  ...slackAction,
  key: "slack.sendMessage",
  name: "Send message",
  description: "Posts a message to a Slack channel, or to a thread with thread_ts.",
  inputSchema: z.object({
    channel: z.string().min(1).describe("Channel ID (C024BE91L) or name"),
    text: z.string().min(1).describe("Message text (mrkdwn); the notification text when blocks are given"),
    thread_ts: z.string().min(1).optional().describe("Reply in the thread of this message timestamp"),
    blocks: z
      .array(z.looseObject({ type: z.string() }))
      .optional()
      .describe("Block Kit blocks"),
  }),
  examples: [
    { channel: "C0123ABCD", text: "Deploy of api v2.4.1 finished :white_check_mark:" },
    {
      channel: "C0123ABCD",
      text: "Build 1432 failed on main",
      thread_ts: "1712345678.123456",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Build 1432 failed* on `main`" } }],
    },
  ],
  outputSchema: z.object({ channel: z.string(), ts: z.string(), thread_ts: z.string().optional() }),
  run: async (ctx) => {
    const { channel, text, thread_ts, blocks } = ctx.inputs;
    const response = await integrationFor(ctx, Slack).chat.postMessage("chat.postMessage", {
      channel,
      text,
      ...(thread_ts !== undefined && { thread_ts }),
      // Block Kit's own types are far stricter than a form can be; Slack validates them (invalid_blocks).
      ...(blocks !== undefined && { blocks: blocks as never[] }),
    });
    return {
      channel: response.channel ?? channel,
      ts: response.ts ?? "",
      ...(thread_ts !== undefined && { thread_ts }),
    };
  },
});
