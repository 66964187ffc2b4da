import type { Json } from "../../json";
import { nodeCrypto } from "../../node-crypto";
import {
  parseJsonBody,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookRequest,
  type WebhookVerifier,
} from "../webhook-verifier";

/** The HMAC hash functions providers sign with. */
export type HmacAlgorithm = "sha256" | "sha1" | "sha512";

/** How a provider writes the digest: lowercase hex or base64. */
export type SignatureEncoding = "hex" | "base64";

/** What the signed content is built from. */
export interface SignedContentParts {
  /** The raw body bytes, exactly as received. */
  body: Uint8Array;
  /** The timestamp exactly as sent, when `timestamp` is configured. */
  timestamp?: string;
  /** The request headers. */
  headers: Headers;
}

interface TimestampWindow {
  /** How far the timestamp may be from `now`, either way; a timestamp exactly this far is accepted. Default 300. */
  toleranceSeconds?: number;
  /** What the timestamp counts since the Unix epoch. */
  unit: "seconds" | "milliseconds";
}

/** Where the signed timestamp is (a header of its own, or read from elsewhere) and how old it may be. */
export type HmacTimestampOptions = TimestampWindow &
  (
    | {
        /** The header holding the timestamp, e.g. "X-Acme-Request-Timestamp". */
        header: string;
        read?: never;
      }
    | {
        header?: never;
        /** Reads the timestamp, e.g. the `t=` of a `t=..,v1=..` signature header (its value is passed in when `signatureHeader` is used). */
        read: (headers: Headers, signatureHeaderValue: string | undefined) => string | undefined;
      }
  );

/** Signatures read from one header: split by `parseSignature`, then `signaturePrefix` stripped from each. */
export interface HeaderSignatureOptions {
  /** The header holding the signature, e.g. "X-Hub-Signature-256"; also names it in rejection messages. */
  signatureHeader: string;
  /** Stripped from each candidate, e.g. "sha256=" or "v0="; a candidate without it is ignored. */
  signaturePrefix?: string;
  /** Splits the header value into candidates (`t=..,v1=..,v1=..`, several during a secret's rotation); default: the whole value is one. */
  parseSignature?: (value: string) => readonly string[];
  signature?: never;
}

/** Signatures read by a function, for providers that put them somewhere a header and a prefix cannot describe. */
export interface CustomSignatureOptions {
  /** Reads the candidate digests (prefixes already stripped); `undefined` when the request carries none. */
  signature: (headers: Headers) => readonly string[] | undefined;
  signatureHeader?: never;
  signaturePrefix?: never;
  parseSignature?: never;
}

interface HmacWebhookVerifierBaseOptions {
  /** The integration's slug, e.g. "acme"; becomes `verifier.provider`. */
  provider: string;
  /** The signing secrets; a request signed with any of them is accepted (keep two during a rotation). */
  secrets: readonly string[];
  /** The HMAC hash function. Default "sha256". */
  algorithm?: HmacAlgorithm;
  /** How the digest is written in the signature. Default "hex". */
  encoding?: SignatureEncoding;
  /** Where the signed timestamp is and how old it may be; absent when the provider signs no timestamp. */
  timestamp?: HmacTimestampOptions;
  /** The exact content the provider signs; default the raw body. May throw a `WebhookRejection`. */
  signedContent?: (parts: SignedContentParts) => Uint8Array | string;
  /**
   * Reads the JSON out of the verified body, for providers that wrap it (a form-encoded `payload=` field);
   * default: the whole body is JSON. Runs only after the signature matched; may throw a `WebhookRejection`.
   */
  readJson?: (body: Uint8Array, headers: Headers) => Json;
  /** Turns the verified, parsed body into a delivery, or into a direct answer (a URL verification challenge). */
  toDelivery: (json: Json, headers: Headers) => VerifiedWebhook;
  /** Bodies above this many bytes are refused with `too_large` before anything else. Default: no limit here. */
  maxBodyBytes?: number;
}

/** Options for `createHmacWebhookVerifier`: the shared options, plus where the signature is read from. */
export type HmacWebhookVerifierOptions = HmacWebhookVerifierBaseOptions &
  (HeaderSignatureOptions | CustomSignatureOptions);

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };
const HEX = /^[0-9a-f]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// 12 digits of seconds reach the year 33658, 15 of milliseconds the year 33658 too: anything longer is garbage.
const DIGITS = { seconds: /^\d{1,12}$/, milliseconds: /^\d{1,15}$/ };

/**
 * A webhook verifier for providers that sign with an HMAC: reads the signature candidates, checks the
 * timestamp window (a captured request replayed later is refused however valid its signature), then
 * compares the HMAC of the signed content under every secret with every candidate, in constant time
 * and without an early exit. Only a request that passes is parsed and handed to `toDelivery`, so a
 * forged body never reaches JSON parsing or provider code.
 */
export function createHmacWebhookVerifier(options: HmacWebhookVerifierOptions): WebhookVerifier {
  const { provider, toDelivery, maxBodyBytes, timestamp } = options;
  const secrets = [...options.secrets];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== "string" || s === "")) {
    throw new TypeError(
      `createHmacWebhookVerifier(${provider}): \`secrets\` needs at least one secret, and none may be empty`,
    );
  }
  const algorithm = options.algorithm ?? "sha256";
  const encoding = options.encoding ?? "hex";
  const digestBytes = DIGEST_BYTES[algorithm];
  const signedContent = options.signedContent ?? (({ body }) => body);
  const readJson = options.readJson ?? parseJsonBody;
  const signatureName = options.signatureHeader ?? "The signature";
  const timestampName = timestamp?.header ?? "The timestamp";
  const shape = `${options.signaturePrefix ?? ""}<${
    encoding === "hex" ? `${digestBytes * 2} hex digits` : `${digestBytes} bytes in base64`
  }>`;

  const decode = (candidate: string): Buffer | undefined => {
    if (encoding === "hex") {
      return candidate.length === digestBytes * 2 && HEX.test(candidate)
        ? Buffer.from(candidate, "hex")
        : undefined;
    }
    if (!BASE64.test(candidate)) return undefined;
    const bytes = Buffer.from(candidate, "base64");
    return bytes.length === digestBytes ? bytes : undefined;
  };

  const readCandidates = (headers: Headers): { candidates: readonly string[]; headerValue?: string } => {
    if (options.signature) {
      const candidates = options.signature(headers);
      if (!candidates) throw new WebhookRejection("missing_signature", `${signatureName} is missing`);
      return { candidates };
    }
    const value = headers.get(options.signatureHeader);
    if (!value) throw new WebhookRejection("missing_signature", `${signatureName} is missing`);
    const prefix = options.signaturePrefix ?? "";
    const parts = options.parseSignature ? options.parseSignature(value) : [value];
    return {
      candidates: parts.filter((part) => part.startsWith(prefix)).map((part) => part.slice(prefix.length)),
      headerValue: value,
    };
  };

  const readTimestamp = (headers: Headers, headerValue: string | undefined): string | undefined => {
    if (!timestamp) return undefined;
    const value = timestamp.read ? timestamp.read(headers, headerValue) : headers.get(timestamp.header);
    if (!value) throw new WebhookRejection("missing_signature", `${timestampName} is missing`);
    return value;
  };

  return {
    provider,
    verify({ headers, body }: WebhookRequest, now: number): VerifiedWebhook {
      if (maxBodyBytes !== undefined && body.byteLength > maxBodyBytes) {
        throw new WebhookRejection("too_large", "The body is too large");
      }
      const { candidates, headerValue } = readCandidates(headers);
      const sent = readTimestamp(headers, headerValue);
      const given = candidates.map(decode).filter((bytes) => bytes !== undefined);
      if (given.length === 0) {
        throw new WebhookRejection("malformed_signature", `${signatureName} is not ${shape}`);
      }
      if (timestamp && sent !== undefined) {
        if (!DIGITS[timestamp.unit].test(sent)) {
          throw new WebhookRejection(
            "malformed_signature",
            `${timestampName} is not a Unix time in ${timestamp.unit}`,
          );
        }
        const sentMs = timestamp.unit === "seconds" ? Number(sent) * 1000 : Number(sent);
        // Checked before the HMAC: a replayed request is refused however valid its signature.
        if (Math.abs(now - sentMs) > (timestamp.toleranceSeconds ?? 300) * 1000) {
          throw new WebhookRejection("stale_timestamp", `${timestampName} is too far from now`);
        }
      }

      const content = signedContent({ body, headers, ...(sent !== undefined && { timestamp: sent }) });
      let valid = false;
      // Every secret against every candidate, no early exit: the time taken tells nothing about which matched.
      for (const secret of secrets) {
        const digest = nodeCrypto().createHmac(algorithm, secret).update(content).digest();
        for (const candidate of given) {
          // Lengths are equal after `decode`; the guard keeps `timingSafeEqual` from ever throwing.
          valid =
            (candidate.length === digest.length && nodeCrypto().timingSafeEqual(digest, candidate)) || valid;
        }
      }
      if (!valid) throw new WebhookRejection("bad_signature", `${signatureName} does not match the body`);
      return toDelivery(readJson(body, headers), headers);
    },
  };
}
