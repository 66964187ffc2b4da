import { parseJsonBody, type VerifiedWebhook, WebhookRejection, type WebhookVerifier } from "@autoflow/core";
import { GITHUB_PROVIDER } from "../errors";

export interface GithubWebhookVerifierOptions {
  /**
   * The webhook secrets; a delivery signed with any of them is accepted. Keep two during a rotation
   * (the new one first), then drop the old one once GitHub signs with the new one.
   */
  secrets: readonly string[];
}

const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
// GitHub sends UTF-8 JSON; a body that is not UTF-8 cannot be what it signed.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Verifies GitHub webhook deliveries: `X-Hub-Signature-256` over the raw body with
 * `@octokit/webhooks-methods` (timing-safe), against each secret in turn, before anything is parsed;
 * then the delivery id (`X-GitHub-Delivery`), the event (`X-GitHub-Event`) and the payload's `action`.
 * GitHub's `ping` (sent when a hook is created) is a delivery like any other: it is signed, harmless,
 * matches no trigger but `onEvent("ping")`, and lands in the inbox so a misconfigured secret shows up
 * as a failed ping in GitHub's hook settings.
 * @see https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
 */
export function createGithubWebhookVerifier(options: GithubWebhookVerifierOptions): WebhookVerifier {
  const secrets = options.secrets.filter((s) => s !== "");
  if (secrets.length === 0)
    throw new TypeError("createGithubWebhookVerifier: at least one secret is required");
  return {
    provider: GITHUB_PROVIDER,
    async verify({ headers, body }): Promise<VerifiedWebhook> {
      const signature = headers.get("x-hub-signature-256");
      if (!signature) throw new WebhookRejection("missing_signature", "X-Hub-Signature-256 is missing");
      const normalized = signature.trim().toLowerCase();
      if (!SIGNATURE.test(normalized)) {
        throw new WebhookRejection(
          "malformed_signature",
          "X-Hub-Signature-256 is not sha256=<64 hex digits>",
        );
      }
      if (!(await signedByAny(secrets, body, normalized))) {
        throw new WebhookRejection("bad_signature", "X-Hub-Signature-256 does not match the body");
      }

      const payload = parseJsonBody(body);
      const deliveryId = headers.get("x-github-delivery");
      if (!deliveryId) throw new WebhookRejection("missing_delivery_id", "X-GitHub-Delivery is missing");
      const event = headers.get("x-github-event");
      // Signed but unnamed: nothing could match it, and core has no rejection code for it.
      if (!event) return { kind: "respond", status: 400, body: { ok: false, error: "missing_event" } };
      const action =
        typeof payload === "object" && payload !== null && !Array.isArray(payload)
          ? payload.action
          : undefined;
      return {
        kind: "delivery",
        delivery: {
          provider: GITHUB_PROVIDER,
          deliveryId,
          event,
          ...(typeof action === "string" && { action }),
          payload,
        },
      };
    },
  };
}

// The helper is ESM-only and its exports have no `require` condition: a dynamic import (kept as one in the
// CommonJS build) loads it from both builds.
let helper: Promise<typeof import("@octokit/webhooks-methods")> | undefined;
const loadHelper = () => {
  helper ??= import("@octokit/webhooks-methods");
  return helper;
};

async function signedByAny(
  secrets: readonly string[],
  body: Uint8Array,
  signature: string,
): Promise<boolean> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return false;
  }
  // The helper refuses an empty payload; GitHub never sends one.
  if (text === "") return false;
  const { verify } = await loadHelper();
  for (const secret of secrets) {
    if (await verify(secret, text, signature)) return true;
  }
  return false;
}
