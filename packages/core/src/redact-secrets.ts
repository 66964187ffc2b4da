import { maskToken } from "./mask-token";
import { mayContainRegisteredToken, registeredTokenShapes } from "./provider-kit/secret-shapes";

const REDACTED = "[REDACTED]";

// Shorter "secrets" are too likely to be ordinary words and would shred the message.
const MIN_KNOWN_SECRET_LENGTH = 6;

const PARAM_NAMES =
  "access_token|refresh_token|id_token|client_secret|api_key|apikey|token|password|code_verifier";

// A letter or digit before the name means a different name (`mytoken`); `_` does not (`acme_access_token`).
const QUERY_PARAM = new RegExp(`(?<![A-Za-z0-9])(${PARAM_NAMES})=[^&\\s"'#,;]+`, "gi");
const QUOTED_PARAM = new RegExp(
  `(?<![A-Za-z0-9])(${PARAM_NAMES})(["']?\\s*:\\s*)(["'])(?:\\\\.|(?!\\3)[^\\\\\\n])*\\3`,
  "gi",
);
// JSON embedded in a JSON string, as when a provider's body ends up inside another message.
const ESCAPED_QUOTED_PARAM = new RegExp(
  `(?<![A-Za-z0-9])(${PARAM_NAMES})(\\\\["']\\s*:\\s*)(\\\\["'])[^"'\\\\\\n]*\\3`,
  "gi",
);

// Whatever follows an Authorization header is a credential, whatever its scheme (Bearer, Basic, token, Bot).
const AUTHORIZATION_HEADER =
  /(\b(?:proxy-)?authorization\\?["']?\s*[:=]\s*\\?["']?)(?:([A-Za-z]+)\s+)?([^\s"'\\,;]+)/gi;
const BEARER = /\b(Bearer\s+)([A-Za-z0-9._~+/-]+=*)/gi;
const BASIC = /\b(Basic\s+)([A-Za-z0-9+/]{8,}={0,2})/g;

// Shapes no one provider owns: a JWT. Providers register their own token shapes (`registerSecretShapes`).
const GENERIC_TOKEN_SHAPES: readonly RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
];

/** Every generic pattern below needs one of these substrings; the runtime scrubs every string it logs, so this check is hot. */
const CANDIDATE = /token|secret|key|password|verifier|authorization|bearer|basic|eyJ/i;

function mayHoldSecret(text: string, knownSecrets: readonly string[]): boolean {
  if (text.length < MIN_KNOWN_SECRET_LENGTH) return false;
  return (
    CANDIDATE.test(text) ||
    mayContainRegisteredToken(text.toLowerCase()) ||
    knownSecrets.some((secret) => secret.length >= MIN_KNOWN_SECRET_LENGTH && text.includes(secret))
  );
}

/** Already masked by an earlier pass (or by an earlier call): leave it readable. */
function isMasked(value: string): boolean {
  return value.includes("…") || value.includes(REDACTED) || value.endsWith("****");
}

/** A Bearer value only counts when it cannot be an English word ("Bearer token required"). */
function looksLikeBearerCredential(value: string): boolean {
  return value.length >= 16 || (value.length >= 8 && /[^A-Za-z]/.test(value));
}

/** Basic credentials are base64 of `user:password`, which tells them apart from "Basic authentication". */
function looksLikeBasicCredential(value: string): boolean {
  try {
    return atob(value).includes(":");
  } catch {
    return false;
  }
}

/**
 * Scrubs credentials from text bound for logs: each of `knownSecrets` (6+ characters, longest
 * first) becomes its `maskToken` form, and well-known token shapes (Authorization values, JWTs,
 * `access_token=`-style params, and every registered provider's token shapes) are masked even when unknown.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  if (!mayHoldSecret(text, knownSecrets)) return text;
  let result = text;
  const secrets = [...new Set(knownSecrets)]
    .filter((secret) => secret.length >= MIN_KNOWN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of secrets) result = result.replaceAll(secret, maskToken(secret));

  result = result.replace(QUERY_PARAM, (match, name: string) =>
    isMasked(match) ? match : `${name}=${REDACTED}`,
  );
  for (const pattern of [QUOTED_PARAM, ESCAPED_QUOTED_PARAM]) {
    result = result.replace(pattern, (match, name: string, separator: string, quote: string) =>
      isMasked(match) ? match : `${name}${separator}${quote}${REDACTED}${quote}`,
    );
  }
  result = result.replace(
    AUTHORIZATION_HEADER,
    (match, head: string, scheme: string | undefined, value: string) =>
      isMasked(value) ? match : `${head}${scheme === undefined ? "" : `${scheme} `}${REDACTED}`,
  );
  result = result.replace(BEARER, (match, head: string, value: string) =>
    isMasked(value) || !looksLikeBearerCredential(value) ? match : `${head}${REDACTED}`,
  );
  result = result.replace(BASIC, (match, head: string, value: string) =>
    looksLikeBasicCredential(value) ? `${head}${REDACTED}` : match,
  );
  for (const shape of [...GENERIC_TOKEN_SHAPES, ...registeredTokenShapes()]) {
    result = result.replace(shape, (token) => maskToken(token));
  }
  return result;
}

const SECRET_KEY_NAMES: ReadonlySet<string> = new Set([
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "bottoken",
  "usertoken",
  "apptoken",
  "authtoken",
  "sessiontoken",
  "bearertoken",
  "authorization",
  "proxyauthorization",
  "password",
  "passwd",
  "secret",
  "apikey",
  "xapikey",
  "privatekey",
  "codeverifier",
  "cookie",
  "setcookie",
]);

// Anything ending in these is a credential (clientSecret, webhookSecret, acmeAppPrivateKey). A
// bare "token" suffix is not among them: pageToken and nextPageToken are cursors, not secrets.
const SECRET_KEY_SUFFIXES = ["secret", "password", "apikey", "accesstoken", "refreshtoken", "privatekey"];

/**
 * Whether an object key names a credential, ignoring case and `-`/`_`/`.`/spaces: an exact name
 * (token, authorization, cookie, set-cookie, apiKey, ...) or one ending in secret, password,
 * apikey, accesstoken, refreshtoken or privatekey. `tokenMasked`, `tokens_used` and
 * `tokenRefreshStatus` are not secrets.
 */
export function isSecretKeyName(name: string): boolean {
  let answer = keyNameAnswers.get(name);
  if (answer === undefined) {
    const normalized = name.toLowerCase().replace(/[-_.\s]/g, "");
    answer =
      SECRET_KEY_NAMES.has(normalized) || SECRET_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
    // Every task's params and output are walked key by key, and an API's key names are a small set: each is
    // judged once. Bounded (cleared when full) against an answer with endlessly many distinct keys.
    if (keyNameAnswers.size >= KEY_NAME_ANSWERS_MAX) keyNameAnswers.clear();
    keyNameAnswers.set(name, answer);
  }
  return answer;
}

const KEY_NAME_ANSWERS_MAX = 4096;
const keyNameAnswers = new Map<string, boolean>();
