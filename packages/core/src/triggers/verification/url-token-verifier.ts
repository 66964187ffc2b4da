import type { Json } from "../../json";
import { nodeCrypto } from "../../node-crypto";
import {
  parseJsonBody,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookRequest,
  type WebhookVerifier,
} from "../webhook-verifier";

/** Options for `createUrlTokenVerifier`. */
export interface UrlTokenVerifierOptions {
  /** The integration's slug, e.g. "microsoft-graph"; becomes `verifier.provider`. */
  provider: string;
  /** The tokens a genuine request may carry; keep two during a rotation. */
  tokens: readonly string[];
  /** Reads the token the request carries (Graph's `clientState`, or a token the route passes on); `undefined` when none. */
  readToken: (request: WebhookRequest) => string | undefined;
  /** Turns the verified, parsed body into a delivery, or into a direct answer. */
  toDelivery: (json: Json, headers: Headers) => VerifiedWebhook;
  /** Bodies above this many bytes are refused with `too_large` before anything else. Default: no limit here. */
  maxBodyBytes?: number;
}

// Hashing both sides first gives equal-length buffers whatever was sent, so neither the compare nor a
// length check says anything about the token's length.
const fingerprint = (token: string) => nodeCrypto().createHash("sha256").update(token).digest();

/**
 * A webhook verifier for providers that cannot sign: the request proves itself with a shared token, an
 * unguessable per-connection URL token or a `clientState` echoed in the body (Microsoft Graph). The token
 * is compared in constant time against every configured one; only then is the body parsed.
 */
export function createUrlTokenVerifier(options: UrlTokenVerifierOptions): WebhookVerifier {
  const { provider, readToken, toDelivery, maxBodyBytes } = options;
  if (options.tokens.length === 0 || options.tokens.some((t) => typeof t !== "string" || t === "")) {
    throw new TypeError(
      `createUrlTokenVerifier(${provider}): \`tokens\` needs at least one token, and none may be empty`,
    );
  }
  const expected = options.tokens.map(fingerprint);

  return {
    provider,
    verify(request: WebhookRequest): VerifiedWebhook {
      if (maxBodyBytes !== undefined && request.body.byteLength > maxBodyBytes) {
        throw new WebhookRejection("too_large", "The body is too large");
      }
      const token = readToken(request);
      if (!token) throw new WebhookRejection("missing_signature", "The request carries no token");
      const given = fingerprint(token);
      let valid = false;
      // No early exit: the time taken does not tell which token matched, or how many there are to try.
      for (const candidate of expected) valid = nodeCrypto().timingSafeEqual(given, candidate) || valid;
      if (!valid) throw new WebhookRejection("bad_signature", "The request's token is not one of ours");
      return toDelivery(parseJsonBody(request.body), request.headers);
    },
  };
}

/** A fresh unguessable token for a webhook URL or a `clientState`: 32 random bytes, base64url (43 characters). */
export function generateUrlToken(): string {
  return nodeCrypto().randomBytes(32).toString("base64url");
}
