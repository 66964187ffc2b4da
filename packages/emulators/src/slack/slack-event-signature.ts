import { createHmac } from "node:crypto";

/** Slack's request signature: `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{body}`). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}
