/**
 * A provider's webhook signing recipe: the headers that sign a body with the shared secret (and, for
 * providers that sign it too, the timestamp). Each provider's folder holds its own (an HMAC over the body
 * alone, or over a version, the timestamp and the body); its `EmulatorDescriptor` names it.
 */
export interface WebhookSignatureScheme {
  /** The signature headers for `body` signed with `secret` at `timestamp` (epoch seconds). */
  sign(body: string, secret: string, timestamp: number): Record<string, string>;
  /** A signature header that is not even well-formed, for the `malformed` forgery (default: a bad one). */
  malformed?: Record<string, string>;
}

/**
 * How an attempt is signed: `valid` as the provider does, or forged so a test can check that the intake
 * refuses it: `bad` (well-formed, made with a secret nobody has), `malformed`, or `missing`.
 */
export type WebhookSignatureKind = "valid" | "bad" | "malformed" | "missing";

/**
 * The signature headers for one attempt. A delivery without a secret goes unsigned (a hook registered
 * without one), unless a `bad` signature is asked for.
 */
export function signatureHeaders(
  scheme: WebhookSignatureScheme,
  kind: WebhookSignatureKind,
  delivery: { body: string; secret?: string | undefined; timestamp: number },
): Record<string, string> {
  const { body, secret, timestamp } = delivery;
  if (kind === "missing") return {};
  if (kind === "malformed" && scheme.malformed) return { ...scheme.malformed };
  if (kind === "valid") return secret ? scheme.sign(body, secret, timestamp) : {};
  return scheme.sign(body, `forged-${secret ?? "secret"}`, timestamp);
}
