// The Gmail triggers' public exports (the new-message polling trigger), re-exported by src/index.ts.
export type { GmailNewMessage, GmailNewMessageOptions, GmailPollingToken } from "./new-message";
export { gmailNewMessageTrigger } from "./new-message";
