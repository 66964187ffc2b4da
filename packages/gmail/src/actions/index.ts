import { gmailSendEmail } from "./send-email";

export { gmailSendEmail } from "./send-email";

/** Gmail's registry actions, in the order the builder lists them. */
export const gmailActions = [gmailSendEmail] as const;
