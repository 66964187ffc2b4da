import { registeredTokenPrefixes } from "./provider-kit/secret-shapes";

// Lower-case words joined by "-"/"_" look like a vendor marker (xoxb-, sk_live_); a random token
// that happens to have a separator early must not leak its head, so digits and capitals stop the match.
const WORD_PREFIX = /^[a-z]{2,}(?:[-_][a-z]{2,})*[-_]/;

// Fewer characters than this after the prefix and even the last four would give away too much.
const MIN_SECRET_TO_REVEAL_TAIL = 12;

/** The recognisable vendor prefix of a token (`xoxb-`, `ghp_`, `sk_live_`), or "" when there is none. */
function tokenPrefix(token: string): string {
  // Vendor markers longer than the 8-character window, or not ending in "-"/"_", registered by their providers.
  const known = registeredTokenPrefixes().find((prefix) => token.startsWith(prefix));
  if (known !== undefined) return known;
  return WORD_PREFIX.exec(token.slice(0, 8))?.[0] ?? "";
}

/**
 * The spec-003 `tokenMasked` form: the vendor prefix, "…" and the last 4 characters
 * (`xoxb-1234567890-abcd` -> `xoxb-…abcd`), or the prefix and `****` when the secret part after
 * the prefix is shorter than 12 characters. Never shows more than 4 characters of the secret part.
 */
export function maskToken(token: string): string {
  const prefix = tokenPrefix(token);
  const secret = token.slice(prefix.length);
  if (secret.length < MIN_SECRET_TO_REVEAL_TAIL) return `${prefix}****`;
  return `${prefix}…${secret.slice(-4)}`;
}
