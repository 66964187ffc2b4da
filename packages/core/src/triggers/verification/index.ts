/**
 * @module
 * The webhook-verification kit every provider builds its `WebhookVerifier` from: HMAC signatures over the
 * raw body (with timestamps, rotations and several candidate signatures), shared URL tokens for providers
 * that cannot sign, and OIDC bearer tokens for push endpoints.
 */

export type {
  CustomSignatureOptions,
  HeaderSignatureOptions,
  HmacAlgorithm,
  HmacTimestampOptions,
  HmacWebhookVerifierOptions,
  SignatureEncoding,
  SignedContentParts,
} from "./hmac-webhook-verifier";
export { createHmacWebhookVerifier } from "./hmac-webhook-verifier";
export type { OidcJwtVerifierOptions } from "./oidc-jwt-verifier";
export { createOidcJwtVerifier } from "./oidc-jwt-verifier";
export type { UrlTokenVerifierOptions } from "./url-token-verifier";
export { createUrlTokenVerifier, generateUrlToken } from "./url-token-verifier";
