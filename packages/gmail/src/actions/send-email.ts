import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Gmail } from "../index";
import { gmailAction } from "./gmail-action";

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const address = z.string().regex(EMAIL);
const addresses = z.union([address, z.array(address).min(1)]);

/**
 * `gmail.sendEmail` (spec 002) -> `sendEmail`: the message composed with MailComposer, sent with
 * `users.messages.send`, sent once (a lost answer reconciled by the step's Message-ID).
 */
export const gmailSendEmail = defineAction({
  ...gmailAction,
  key: "gmail.sendEmail",
  name: "Send email",
  description: "Sends an email from the connected Gmail account.",
  inputSchema: z.object({
    to: addresses.describe("The recipient's email address, or several"),
    cc: addresses.optional().describe("Addresses to copy"),
    bcc: addresses.optional().describe("Addresses to copy without the others seeing them"),
    replyTo: address.optional().describe("Where replies go, when not to the sender"),
    subject: z.string().min(1).max(998).describe("The subject line (UTF-8 welcome)"),
    text: z.string().optional().describe("The plain-text body"),
    html: z.string().optional().describe("The HTML body (sent beside the text as multipart/alternative)"),
    threadId: z.string().min(1).optional().describe("The Gmail thread to add the message to"),
    inReplyTo: z.string().min(1).optional().describe("The Message-ID of the message being answered"),
  }),
  examples: [
    { to: "ada@example.com", subject: "Your invoice", text: "Thanks for your order." },
    {
      to: ["grace@example.com", "alan@example.com"],
      cc: "team@example.com",
      subject: "Réunion à 10 h",
      text: "See you there.",
      html: "<p>See you <b>there</b>.</p>",
    },
  ],
  outputSchema: z.object({ id: z.string(), threadId: z.string(), messageId: z.string() }),
  run: async (ctx) => {
    const { to, cc, bcc, replyTo, subject, text, html, threadId, inReplyTo } = ctx.inputs;
    const sent = await integrationFor(ctx, Gmail).sendEmail("sendEmail", {
      to,
      subject,
      ...(cc !== undefined && { cc }),
      ...(bcc !== undefined && { bcc }),
      ...(replyTo !== undefined && { replyTo }),
      ...(text !== undefined && { text }),
      ...(html !== undefined && { html }),
      ...(threadId !== undefined && { threadId }),
      ...(inReplyTo !== undefined && { inReplyTo }),
    });
    return { id: sent.id ?? "", threadId: sent.threadId ?? "", messageId: sent.messageId };
  },
});
