import { createHmac } from "node:crypto";

/**
 * POSTs `body` to the service's Slack intake signed as Slack signs it (`v0=` HMAC of `v0:{timestamp}:{body}`
 * with the signing secret). The timestamp is the wall clock's: Slack's window is five minutes either way.
 */
export async function postSignedSlackEvent(
  serviceUrl: string,
  signingSecret: string,
  body: string,
): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return fetch(`${serviceUrl}/api/webhooks/slack`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": `v0=${signature}`,
    },
    body,
  });
}
