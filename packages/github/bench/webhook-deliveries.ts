/**
 * @module
 * The webhook intake bench's load (section 5): `issues.opened` deliveries as GitHub sends them, signed with
 * the service's secret.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { WebhookLoad } from "../../../bench/src/provider-bench";

/** An `issues.opened` delivery as GitHub sends it (trimmed to the fields triggers read): ~1 KB. */
function issueOpenedPayload(i: number): string {
  return JSON.stringify({
    action: "opened",
    issue: {
      number: i,
      title: `Bench issue ${i}`,
      body: "Something is broken and here is a paragraph about it, as issues usually have.",
      state: "open",
      user: { login: "octocat", id: 1, type: "User" },
      labels: [{ name: "bug" }],
      html_url: `https://github.com/octo-org/hello/issues/${i}`,
      created_at: "2026-01-01T00:00:00Z",
    },
    repository: { id: 1296269, name: "hello", full_name: "octo-org/hello", private: false },
    sender: { login: "octocat", id: 1, type: "User" },
    installation: { id: 42 },
  });
}

export const ISSUE_DELIVERIES: WebhookLoad = {
  description:
    "signed `issues` deliveries (~1 KB, each with its own `X-GitHub-Delivery` and a valid `X-Hub-Signature-256`, precomputed)",
  signed(count, secret) {
    return Array.from({ length: count }, (_, i) => {
      const body = issueOpenedPayload(i);
      const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
      return {
        body,
        headers: {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/bench",
          "x-github-event": "issues",
          "x-github-delivery": randomUUID(),
          "x-github-hook-id": "1",
          "x-hub-signature-256": signature,
        },
      };
    });
  },
};
