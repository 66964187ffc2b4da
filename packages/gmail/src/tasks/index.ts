// The Gmail task classes' public exports (and sendEmail's helpers), re-exported by src/index.ts.
export { Drafts } from "./drafts";
export { History } from "./history";
export { Labels } from "./labels";
export { taskMessageId } from "./message-id";
export { Messages } from "./messages";
export type { GmailAttachment, SendEmailParams } from "./send-email";
export { composeEmail } from "./send-email";
export { Threads } from "./threads";
export { Users } from "./users";
