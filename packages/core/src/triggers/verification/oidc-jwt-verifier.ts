import type { JWTVerifyGetKey } from "jose";
import type { Json } from "../../json";
import {
  parseJsonBody,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookRejectionCode,
  type WebhookRequest,
  type WebhookVerifier,
} from "../webhook-verifier";

/** Options for `createOidcJwtVerifier`. */
export interface OidcJwtVerifierOptions {
  /** The integration's slug, e.g. "acme"; becomes `verifier.provider`. */
  provider: string;
  /** The `aud` the token must carry: the audience configured on the push subscription. */
  audience: string | readonly string[];
  /** The accepted `iss` values. Default "https://accounts.google.com". */
  issuer?: string | readonly string[];
  /** The signer's public keys: jose's `createRemoteJWKSet` (Google: https://www.googleapis.com/oauth2/v3/certs) or `createLocalJWKSet`. */
  jwks: JWTVerifyGetKey;
  /** When set, the token's `email` must be this, and `email_verified` true: the service account that pushes. */
  expectedEmail?: string;
  /** The accepted signing algorithms. Default ["RS256"], what Google signs with. */
  algorithms?: readonly string[];
  /** Leeway for `exp` and `nbf`, for clock skew between the signer and this server. Default 0. */
  clockToleranceSeconds?: number;
  /** Turns the verified, parsed body into a delivery, e.g. from a Pub/Sub push's `message.messageId`. */
  toDelivery: (json: Json, headers: Headers) => VerifiedWebhook;
  /** Bodies above this many bytes are refused with `too_large` before anything else. Default: no limit here. */
  maxBodyBytes?: number;
}

const BEARER = /^Bearer +(\S+)$/i;

// jose's error codes (stable across its copies and versions) mapped to ours. A code not listed here, such as a
// JWKS fetch timing out, is not the sender's fault: it is rethrown, becomes a 500, and the provider retries.
const REJECTIONS: Record<string, WebhookRejectionCode> = {
  ERR_JWS_INVALID: "malformed_signature",
  ERR_JWT_INVALID: "malformed_signature",
  ERR_JWT_EXPIRED: "stale_timestamp",
  ERR_JWT_CLAIM_VALIDATION_FAILED: "bad_signature",
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "bad_signature",
  ERR_JOSE_ALG_NOT_ALLOWED: "bad_signature",
  ERR_JOSE_NOT_SUPPORTED: "bad_signature",
  ERR_JWKS_NO_MATCHING_KEY: "bad_signature",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "bad_signature",
};

// jose is ESM-only: a dynamic import (kept as one in the CommonJS build) loads it from both builds, and only
// for the providers that use this verifier.
let jose: Promise<typeof import("jose")> | undefined;
const loadJose = () => {
  jose ??= import("jose");
  return jose;
};

/**
 * A webhook verifier for push endpoints that authenticate with an OIDC token in `Authorization: Bearer`
 * (Google Pub/Sub push, as a mailbox watch delivers): checks the token's signature against the
 * signer's keys, its issuer, audience, expiry (at `now`, not the wall clock) and optionally the pushing
 * service account; only then is the body parsed.
 * @see https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions
 */
export function createOidcJwtVerifier(options: OidcJwtVerifierOptions): WebhookVerifier {
  const { provider, jwks, expectedEmail, toDelivery, maxBodyBytes } = options;
  const verifyOptions = {
    audience: [options.audience].flat(),
    issuer: [options.issuer ?? "https://accounts.google.com"].flat(),
    algorithms: [...(options.algorithms ?? ["RS256"])],
    clockTolerance: options.clockToleranceSeconds ?? 0,
  };

  return {
    provider,
    async verify({ headers, body }: WebhookRequest, now: number): Promise<VerifiedWebhook> {
      if (maxBodyBytes !== undefined && body.byteLength > maxBodyBytes) {
        throw new WebhookRejection("too_large", "The body is too large");
      }
      const authorization = headers.get("authorization");
      if (!authorization) throw new WebhookRejection("missing_signature", "Authorization is missing");
      const token = BEARER.exec(authorization)?.[1];
      if (!token) throw new WebhookRejection("malformed_signature", "Authorization is not Bearer <token>");

      const { jwtVerify } = await loadJose();
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await jwtVerify(token, jwks, {
          ...verifyOptions,
          currentDate: new Date(now),
        }));
      } catch (error) {
        const code = REJECTIONS[String((error as { code?: unknown } | null)?.code)];
        if (!code) throw error;
        throw new WebhookRejection(code, `The bearer token was refused (${(error as Error).message})`);
      }
      if (expectedEmail !== undefined && (claims.email !== expectedEmail || claims.email_verified !== true)) {
        throw new WebhookRejection("bad_signature", "The bearer token is not from the expected account");
      }
      return toDelivery(parseJsonBody(body), headers);
    },
  };
}
