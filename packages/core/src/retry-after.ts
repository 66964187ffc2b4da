import { getHeader, type HeadersLike } from "./http-headers";

const DECIMAL = /^\d+(?:\.\d+)?$/;
// asctime dates (RFC 9110 obsolete form) carry no zone but are GMT; Date.parse would read them as local.
const HAS_ZONE = /\b(?:GMT|UTC|UT)\b|[+-]\d{4}$|Z$/i;

/** A Date for `ms`, or undefined when it is outside what Date can hold. */
function validDate(ms: number): Date | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * RFC 9110 `Retry-After`: delta-seconds (`"30"`, decimals such as `"1.5"` tolerated) or an
 * HTTP-date. Undefined when missing or invalid; a date already past becomes `now`.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (DECIMAL.test(text)) return validDate(now + Math.round(Number(text) * 1000));
  // Without a letter it is no HTTP-date; Date.parse would happily read "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(HAS_ZONE.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(at)) return undefined;
  return validDate(Math.max(at, now));
}

/**
 * A rate-limit reset header (`x-ratelimit-reset` and kin). Providers disagree on the unit, so by
 * magnitude: above 1e12 it is epoch milliseconds, above 1e9 epoch seconds (the most common), otherwise
 * seconds until the reset (IETF draft, some providers). A reset already past becomes `now`.
 */
export function parseRateLimitReset(value: string | undefined, now: number = Date.now()): Date | undefined {
  const text = value?.trim();
  if (!text || !DECIMAL.test(text)) return undefined;
  const n = Number(text);
  if (n > 1e12) return validDate(Math.max(n, now));
  if (n > 1e9) return validDate(Math.max(Math.round(n * 1000), now));
  return validDate(now + Math.round(n * 1000));
}

// Each reset header paired with the remaining-count header of the same family.
const RESET_HEADERS = [
  ["x-ratelimit-reset", "x-ratelimit-remaining"],
  ["ratelimit-reset", "ratelimit-remaining"],
  ["x-rate-limit-reset", "x-rate-limit-remaining"],
] as const;

/**
 * When the provider says a retry may succeed: `retry-after` first, then the first of
 * `x-ratelimit-reset`, `ratelimit-reset`, `x-rate-limit-reset` whose budget is spent.
 */
export function retryAtFromHeaders(
  headers: HeadersLike | undefined,
  now: number = Date.now(),
): Date | undefined {
  const retryAfter = parseRetryAfter(getHeader(headers, "retry-after"), now);
  if (retryAfter !== undefined) return retryAfter;
  for (const [resetName, remainingName] of RESET_HEADERS) {
    // Some providers send a reset on every response; while requests remain it is the window's end, not a
    // wait (their secondary limits say so with retry-after, or not at all).
    const remaining = getHeader(headers, remainingName)?.trim();
    if (remaining !== undefined && remaining !== "0") continue;
    const reset = parseRateLimitReset(getHeader(headers, resetName), now);
    if (reset !== undefined) return reset;
  }
  return undefined;
}

/** Whether a response is throttling: 429 always, 403 when the budget is spent or retry-after is set. */
export function isRateLimited(status: number, headers: HeadersLike | undefined): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  if (getHeader(headers, "retry-after") !== undefined) return true;
  return RESET_HEADERS.some(([, remainingName]) => getHeader(headers, remainingName)?.trim() === "0");
}
