import { IntegrationError, type IntegrationErrorType } from "./errors";
import type { HeadersLike } from "./http-headers";
import { responseTooLargeError } from "./provider-kit/response-limit";
import { isRateLimited, retryAtFromHeaders } from "./retry-after";

/**
 * The spec-003 type of an HTTP error status: 401 auth; 403 auth unless throttled; 429 rate-limit;
 * 408 upstream; other 4xx, 501 and 505 schema (permanent); other 5xx and anything unexpected upstream.
 */
export function classifyHttpStatus(status: number, headers?: HeadersLike): IntegrationErrorType {
  if (status === 401) return "auth";
  if (status === 403) return isRateLimited(status, headers) ? "rate-limit" : "auth";
  if (status === 429) return "rate-limit";
  // The server gave up waiting for our request; sending it again can succeed.
  if (status === 408) return "upstream";
  if (status >= 400 && status < 500) return "schema";
  // Not implemented / HTTP version not supported will not change on a retry.
  if (status === 501 || status === 505) return "schema";
  return "upstream";
}

const TRANSPORT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

const TIMEOUT_NAMES: ReadonlySet<string> = new Set(["AbortError", "TimeoutError"]);

/**
 * Transport failures that prove the request never reached the provider: the connection was refused or never
 * made, the name did not resolve, there was no route. Every other transport failure (a reset, a timeout, a
 * socket closed, a stream cut short) may come after the request was written, so its outcome is unknown.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

/**
 * Whether a transport failure with `code` may have happened after the request was sent (a reset, a timeout,
 * an answer cut short), so the provider may have acted on it: everything but a failure to connect. Unknown
 * codes count as sent: a repeat is only safe when the request certainly did not leave.
 */
export function isOutcomeUnknownTransportCode(code: string): boolean {
  return !NOT_SENT_CODES.has(code);
}

// node:http says "socket hang up"; undici says "other side closed", and "terminated" for a body cut short.
const RESET_MESSAGE = /socket hang up|other side closed|^terminated$/i;

const MAX_CAUSE_DEPTH = 5;

/** The transport code or timeout name one error object carries itself, ignoring its causes. */
function ownTransportCode(error: object): string | undefined {
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === "string" && TRANSPORT_CODES.has(code)) return code;
  if (typeof name === "string" && TIMEOUT_NAMES.has(name)) return name;
  return undefined;
}

function hasResetMessage(error: object): boolean {
  const { message } = error as { message?: unknown };
  return typeof message === "string" && RESET_MESSAGE.test(message);
}

/** Where errors keep the error they wrap, unless an SDK says otherwise: the standard `cause`. */
const CAUSE_ONLY: readonly string[] = ["cause"];

/** The error `error` wraps: the first of `wrappedBy`'s properties that holds an object. */
function wrappedError(error: object, wrappedBy: readonly string[]): unknown {
  const fields = error as Record<string, unknown>;
  const key = wrappedBy.find((name) => typeof fields[name] === "object" && fields[name] !== null);
  return key === undefined ? undefined : fields[key];
}

/**
 * The transport code (`ECONNREFUSED`, `UND_ERR_SOCKET`, `TimeoutError`, ...) when `error` or one of
 * the errors it wraps (5 deep) is a network failure before a usable response; undefined otherwise.
 * `wrappedBy` names where each error keeps the one it wraps (an SDK's `original`), first found first.
 */
export function transportErrorCode(error: unknown, wrappedBy = CAUSE_ONLY): string | undefined {
  // A code anywhere in the chain says more than a message: undici's "terminated" wraps UND_ERR_SOCKET.
  let resetByMessage = false;
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== "object" || current === null) break;
    const code = ownTransportCode(current);
    if (code !== undefined) return code;
    resetByMessage ||= hasResetMessage(current);
    // Node's happy-eyeballs connect fails with an AggregateError holding one error per address.
    const { errors } = current as { errors?: unknown };
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const innerCode = typeof inner === "object" && inner !== null ? ownTransportCode(inner) : undefined;
        if (innerCode !== undefined) return innerCode;
      }
    }
    current = wrappedError(current, wrappedBy);
  }
  return resetByMessage ? "ECONNRESET" : undefined;
}

const DNS_CODES: ReadonlySet<string> = new Set(["ENOTFOUND", "EAI_AGAIN"]);

/**
 * The host name a DNS failure (`ENOTFOUND`, `EAI_AGAIN`) was about, read from `hostname` on `error` or one of
 * the errors it wraps (5 deep, through `wrappedBy` as in `transportErrorCode`), as Node's resolver sets it;
 * undefined for any other error.
 */
export function dnsFailureHost(error: unknown, wrappedBy = CAUSE_ONLY): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== "object" || current === null) return undefined;
    const { code, hostname, errors } = current as { code?: unknown; hostname?: unknown; errors?: unknown };
    if (typeof code === "string" && DNS_CODES.has(code) && typeof hostname === "string" && hostname !== "") {
      return hostname;
    }
    if (Array.isArray(errors)) {
      const inner = errors.map((each) => dnsFailureHost(each, wrappedBy)).find((host) => host !== undefined);
      if (inner !== undefined) return inner;
    }
    current = wrappedError(current, wrappedBy);
  }
  return undefined;
}

/**
 * The message of a transport failure: as thrown, plus the host when a DNS failure's message does not name it
 * (undici says only "fetch failed"). `wrappedBy` as in `transportErrorCode`.
 */
export function transportMessage(
  message: string,
  error: unknown,
  code: string | undefined,
  wrappedBy = CAUSE_ONLY,
): string {
  if (code === undefined || !DNS_CODES.has(code)) return message;
  const host = dnsFailureHost(error, wrappedBy);
  return host === undefined || message.includes(host)
    ? message
    : `${message}: could not resolve ${host} (${code})`;
}

/** What a provider's HTTP error response tells us. */
export interface ErrorFromResponseOptions {
  provider: string;
  status: number;
  headers?: HeadersLike;
  message?: string;
  code?: string;
  cause?: unknown;
  /** The clock for relative Retry-After values; injectable so tests are exact. */
  now?: number;
}

/** An IntegrationError for an HTTP error response, with `retryAt` from the headers when it is retryable. */
export function errorFromResponse(options: ErrorFromResponseOptions): IntegrationError {
  const { provider, status, headers } = options;
  const type = classifyHttpStatus(status, headers);
  // A 503 with Retry-After is as much a "come back then" as a 429 is.
  const retryAt =
    type === "rate-limit" || type === "upstream" ? retryAtFromHeaders(headers, options.now) : undefined;
  return new IntegrationError({
    type,
    provider,
    status,
    message: options.message || `${provider} responded ${status}`,
    ...(retryAt !== undefined && { retryAt }),
    ...(options.code !== undefined && { code: options.code }),
    ...(options.cause !== undefined && { cause: options.cause }),
  });
}

/** The fields SDK errors commonly carry (fetch-style, axios, and the `statusCode`/`status` of the big SDKs). */
interface ErrorLike {
  message?: unknown;
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  headers?: unknown;
  response?: { status?: unknown; headers?: unknown } | null;
}

function asHeaders(value: unknown): HeadersLike | undefined {
  return typeof value === "object" && value !== null ? (value as HeadersLike) : undefined;
}

/** A readable message for anything thrown, including non-Error values. */
function describe(error: unknown, provider: string): string {
  if (typeof error === "string" && error !== "") return error;
  if (typeof error === "object" && error !== null) {
    const { message } = error as ErrorLike;
    if (typeof message === "string" && message !== "") return message;
  }
  try {
    const json = JSON.stringify(error);
    if (json !== undefined) return `${provider} failed: ${json.slice(0, 500)}`;
  } catch {
    // Circular or BigInt-bearing values: fall through to String().
  }
  return `${provider} failed: ${String(error)}`;
}

/**
 * Translates anything thrown by a provider call into an IntegrationError, keeping it as `cause`:
 * IntegrationErrors pass through, transport failures are `network` (with `reason: "outcome_unknown"` unless
 * the request certainly was not sent, see `isOutcomeUnknownTransportCode`), errors carrying an HTTP
 * status go through `errorFromResponse`, and everything else is `upstream`.
 */
export function toIntegrationError(error: unknown, provider: string, now?: number): IntegrationError {
  if (IntegrationError.isInstance(error)) return error;
  const tooLarge = responseTooLargeError(error, provider);
  if (tooLarge) return tooLarge;
  const like: ErrorLike = typeof error === "object" && error !== null ? (error as ErrorLike) : {};
  const response = typeof like.response === "object" && like.response !== null ? like.response : undefined;

  // Without a response, a status is the SDK's invention: Octokit reports a refused connection as 500.
  const transport = response === undefined ? transportErrorCode(error) : undefined;
  if (transport !== undefined) {
    return new IntegrationError({
      type: "network",
      provider,
      message: transportMessage(describe(error, provider), error, transport),
      code: transport,
      ...(isOutcomeUnknownTransportCode(transport) && { reason: "outcome_unknown" }),
      cause: error,
    });
  }

  const status = [like.status, like.statusCode, response?.status].find(
    (value): value is number => typeof value === "number" && Number.isInteger(value),
  );
  if (status !== undefined) {
    const headers = asHeaders(response?.headers) ?? asHeaders(like.headers);
    const message = typeof like.message === "string" ? like.message : undefined;
    return errorFromResponse({
      provider,
      status,
      cause: error,
      ...(headers !== undefined && { headers }),
      ...(message !== undefined && { message }),
      ...(typeof like.code === "string" && { code: like.code }),
      ...(now !== undefined && { now }),
    });
  }

  return new IntegrationError({
    type: "upstream",
    provider,
    message: describe(error, provider),
    cause: error,
  });
}
