import {
  classifyHttpStatus,
  isOutcomeUnknownTransportCode,
  toIntegrationError,
  transportErrorCode,
  transportMessage,
} from "../classify";
import {
  IntegrationError,
  type IntegrationErrorReason,
  type IntegrationErrorType,
  isRetryable,
} from "../errors";
import type { HeadersLike } from "../http-headers";
import { retryAtFromHeaders } from "../retry-after";
import { responseTooLargeError } from "./response-limit";

/** What one SDK error says, read by the provider's `read`: the kit turns it into the taxonomy. */
export interface ProviderErrorFacts {
  /** The HTTP status, when the provider answered. */
  status?: number;
  headers?: HeadersLike;
  /** The provider's own code (`channel_not_found`, `missing_field`), looked up in the table's `codes`. */
  code?: string;
  message?: string;
  /** A type the provider's own rule decides outright (an SDK's own rate-limit error class, a throttling message without a status). */
  type?: IntegrationErrorType;
  reason?: IntegrationErrorReason;
  /** How long the provider said to wait, when it says it in the body rather than in a header. */
  retryAfterSeconds?: number;
  /** For a rate limit whose answer names no time: how long to wait anyway. */
  fallbackRetryAfterMs?: number;
  /** The provider's other machine-readable facts, kept on the error as `details` (a card's decline code). */
  details?: Readonly<Record<string, string>>;
}

/**
 * Where an SDK's HTTP error keeps the answer, as dotted property paths from the thrown error
 * (`"response.status"`, `"response.data.errors.0.code"`), for the kit's standard reading of it.
 */
export interface HttpErrorPaths {
  /** The status; an error without a number there is not an HTTP error. */
  status: string;
  /** The status line's text (`Service Unavailable`), added to the kit's message when there is no `message`. */
  statusText?: string;
  /** The response headers (`Retry-After`, rate-limit resets). */
  headers?: string;
  /** The provider's own code in the body, when it is a string. */
  code?: string;
  /** The message, when it is a non-empty string. Default: the kit's "<Name> responded <status> <statusText>". */
  message?: string;
}

/** A provider's error table: how to read its SDK's errors, and its codes by taxonomy type. */
export interface ProviderErrorTable {
  /** The slug errors carry, e.g. "acme". */
  provider: string;
  /** The display name in generated messages, e.g. "Acme". Default: the slug. */
  name?: string;
  /**
   * Where the SDK's HTTP error keeps its status, headers, body code and message: the kit reads them into
   * facts and hands them to `read` (an error without a status at `status` is read as `undefined`).
   */
  httpError?: HttpErrorPaths;
  /**
   * Where the SDK's errors keep the transport error they wrap, followed in this order, one error to the next,
   * when looking for a network failure's code (and a DNS failure's host). Default `["cause"]`.
   */
  wrappedBy?: readonly string[];
  /**
   * Reads an error of the provider's SDK, given the `httpError` reading of it (when declared); `undefined`
   * for anything else, which the kit classifies generically (transport failures `network`, HTTP statuses
   * by status, the rest `upstream`). Default: the `httpError` reading as it is.
   */
  read?(error: unknown, http: ProviderErrorFacts | undefined): ProviderErrorFacts | undefined;
  /** The provider's codes whose type the status alone would get wrong (or that come without a status). */
  codes?: Partial<Record<IntegrationErrorType, readonly string[]>>;
  /** The type of an error with neither a listed code nor a status. Default `schema`: the call as written cannot succeed. */
  unknownCodeType?: IntegrationErrorType;
}

/** The provider's SDK-error translation (`ProviderDefinition.toError`), with its table's reading of one code. */
export interface ProviderErrorMapper {
  (error: unknown, now?: number): IntegrationError;
  /**
   * The taxonomy type of one of the provider's own codes: the table's, else `unknownCodeType` (for codes that
   * arrive outside an SDK error, such as a token endpoint that answers in the API's own codes).
   */
  typeOfCode(code: string): IntegrationErrorType;
}

/**
 * One error mapper for every provider: the provider writes its table (how to read its SDK's errors and
 * which codes mean what), the kit does the rest the same way everywhere. Order: an `IntegrationError`
 * passes through; the table's explicit `type`; a listed code; the HTTP status; a transport failure is
 * `network` with its code (and `reason: "outcome_unknown"` unless the request certainly was not sent); otherwise `unknownCodeType`. A retryable error gets `retryAt` from the body's
 * wait, the `Retry-After`/reset headers, or the fallback, in that order. The SDK's error is the `cause`.
 * A `network` error's code is the transport code found through `wrappedBy`, else the code `read` gave.
 */
export function createErrorMapper(table: ProviderErrorTable): ProviderErrorMapper {
  const byCode = new Map<string, IntegrationErrorType>();
  for (const [type, codes] of Object.entries(table.codes ?? {})) {
    for (const code of codes ?? []) byCode.set(code, type as IntegrationErrorType);
  }
  const name = table.name ?? table.provider;
  const typeOfCode = (code: string) => byCode.get(code) ?? table.unknownCodeType ?? "schema";
  const toError = (error: unknown, now = Date.now()): IntegrationError => {
    if (IntegrationError.isInstance(error)) return error;
    // The kit's fetch refused the answer: whatever status the SDK made up around it (Octokit says 500), it is final.
    const tooLarge = responseTooLargeError(error, table.provider, table.wrappedBy);
    if (tooLarge) return tooLarge;
    const http = table.httpError && readHttpError(error, table.httpError, name);
    const facts = table.read ? table.read(error, http) : http;
    // Not the SDK's error: core's generic classification (transport failures, HTTP statuses, the rest).
    if (facts === undefined) return toIntegrationError(error, table.provider, now);
    const wrappedBy = table.wrappedBy ?? ["cause"];
    const transport = facts.status === undefined ? transportErrorCode(error, wrappedBy) : undefined;
    const type =
      facts.type ??
      (facts.code !== undefined ? byCode.get(facts.code) : undefined) ??
      (facts.status !== undefined ? classifyHttpStatus(facts.status, facts.headers) : undefined) ??
      (transport !== undefined ? "network" : undefined) ??
      (facts.code !== undefined ? typeOfCode(facts.code) : "upstream");
    const code = (type === "network" ? transport : undefined) ?? facts.code;
    // A network failure after the request may have been sent: the provider may have acted on it.
    const reason =
      facts.reason ??
      (type === "network" && facts.status === undefined && isOutcomeUnknownTransportCode(code ?? "")
        ? "outcome_unknown"
        : undefined);
    const retryAt = isRetryable(type, reason) ? retryAtOf(facts, type, now) : undefined;
    const message =
      facts.message ||
      (facts.status !== undefined ? `${name} responded ${facts.status}` : describe(error, name));
    return new IntegrationError({
      type,
      provider: table.provider,
      message: type === "network" ? transportMessage(message, error, code, wrappedBy) : message,
      ...(facts.status !== undefined && { status: facts.status }),
      ...(retryAt !== undefined && { retryAt }),
      ...(code !== undefined && { code }),
      ...(reason !== undefined && { reason }),
      ...(facts.details !== undefined && { details: facts.details }),
      cause: error,
    });
  };
  return Object.assign(toError, { typeOfCode });
}

/** The standard reading of an HTTP error at `paths`: its status, headers, body code and message. */
function readHttpError(error: unknown, paths: HttpErrorPaths, name: string): ProviderErrorFacts | undefined {
  const status = at(error, paths.status);
  if (typeof status !== "number") return undefined;
  const headers = paths.headers === undefined ? undefined : at(error, paths.headers);
  const code = paths.code === undefined ? undefined : at(error, paths.code);
  const message = paths.message === undefined ? undefined : at(error, paths.message);
  const statusText = paths.statusText === undefined ? undefined : at(error, paths.statusText);
  return {
    status,
    ...(typeof headers === "object" && headers !== null && { headers: headers as HeadersLike }),
    ...(typeof code === "string" && { code }),
    ...(typeof message === "string" && message !== ""
      ? { message }
      : typeof statusText === "string" &&
        statusText !== "" && { message: `${name} responded ${status} ${statusText}` }),
  };
}

/** The value at a dotted property path (`"response.data.errors.0.code"`); undefined where a step is missing. */
function at(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (current, key) =>
        typeof current === "object" && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined,
      value,
    );
}

function retryAtOf(facts: ProviderErrorFacts, type: IntegrationErrorType, now: number): Date | undefined {
  if (facts.retryAfterSeconds !== undefined) return new Date(now + facts.retryAfterSeconds * 1000);
  const fromHeaders = retryAtFromHeaders(facts.headers, now);
  if (fromHeaders) return fromHeaders;
  return type === "rate-limit" && facts.fallbackRetryAfterMs !== undefined
    ? new Date(now + facts.fallbackRetryAfterMs)
    : undefined;
}

function describe(error: unknown, name: string): string {
  if (typeof error === "string" && error !== "") return error;
  if (error instanceof Error && error.message) return error.message;
  return `${name} failed: ${String(error)}`;
}
