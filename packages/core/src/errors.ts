import { redactSecrets } from "./redact-secrets";

/** The frozen error taxonomy of spec 003. Changing it is a major version. */
export const INTEGRATION_ERROR_TYPES = ["auth", "rate-limit", "schema", "network", "upstream"] as const;
export type IntegrationErrorType = (typeof INTEGRATION_ERROR_TYPES)[number];

const RETRYABLE: ReadonlySet<IntegrationErrorType> = new Set(["rate-limit", "network", "upstream"]);

/** Only `rate-limit`, `network` and `upstream` are retried; `auth` and `schema` fail fast. */
export function isRetryableErrorType(type: IntegrationErrorType): boolean {
  return RETRYABLE.has(type);
}

/**
 * Stable words for what the five frozen types alone do not say. The type stays the taxonomy's; the
 * reason refines it for code that must act differently (and for people reading a failed run):
 * - `outcome_unknown`: the request may have reached the provider (a reset or timeout after the body
 *   was sent, a worker that died mid-call); retrying blindly could repeat a side effect.
 * - `cursor_expired`: a polling cursor or sync token the provider no longer accepts (a mailbox history id past its retention).
 * - `egress_denied`: the request was aimed at an address the egress policy refuses (loopback, private, metadata).
 * - `response_too_large`: the answer exceeded the size bound.
 * - `token_expired`: the provider refused an access token that has expired; a refresh may cure it.
 * - `timeout`: no answer within the deadline, before any byte was known to be sent.
 */
export const INTEGRATION_ERROR_REASONS = [
  "outcome_unknown",
  "cursor_expired",
  "egress_denied",
  "response_too_large",
  "token_expired",
  "timeout",
] as const;
/** One of the known reasons, or a provider's own stable word (lowercase, `_`-separated). */
export type IntegrationErrorReason = (typeof INTEGRATION_ERROR_REASONS)[number] | (string & {});

// A reason that makes an otherwise retryable type final: retrying cannot help, or could repeat a side effect.
const NOT_RETRYABLE_REASONS: ReadonlySet<string> = new Set([
  "outcome_unknown",
  "cursor_expired",
  "egress_denied",
  "response_too_large",
]);

/** Whether an error of `type` with `reason` is retried by the runtime: the type decides, a final reason overrides. */
export function isRetryable(type: IntegrationErrorType, reason?: string): boolean {
  return RETRYABLE.has(type) && (reason === undefined || !NOT_RETRYABLE_REASONS.has(reason));
}

export function isIntegrationErrorType(value: unknown): value is IntegrationErrorType {
  return typeof value === "string" && (INTEGRATION_ERROR_TYPES as readonly string[]).includes(value);
}

export interface IntegrationErrorOptions {
  type: IntegrationErrorType;
  /** The integration's slug, e.g. "acme". */
  provider: string;
  message: string;
  /** HTTP status, when the provider answered. */
  status?: number;
  /** When the provider says a retry may succeed (Retry-After, a rate-limit reset). */
  retryAt?: Date;
  /** The provider's or transport's own code, e.g. "channel_not_found" or "ECONNREFUSED". */
  code?: string;
  /** A stable word the type alone does not say (`outcome_unknown`, `cursor_expired`, ...); see `INTEGRATION_ERROR_REASONS`. */
  reason?: IntegrationErrorReason;
  /** The provider's own machine-readable facts about the failure besides its code (a card's `declineCode`). */
  details?: Readonly<Record<string, string>>;
  /**
   * Overrides what `type` and `reason` decide. The runtime sets it when a task declared how a repeat is made
   * safe (its `idempotency`), so an `outcome_unknown` error of that task is retried and says so.
   */
  retryable?: boolean;
  /** The SDK method that failed, e.g. "issues.createComment" (the provider kit fills it for every provider task). */
  method?: string;
  /** The key of the task that failed, serialized (the provider kit fills it for every provider task). */
  taskKey?: string;
  cause?: unknown;
}

/** The task-log form of an error: plain JSON, secrets already scrubbed. */
export interface SerializedIntegrationError {
  name: string;
  type: IntegrationErrorType;
  provider: string;
  message: string;
  status?: number;
  retryAt?: string;
  code?: string;
  reason?: string;
  details?: Readonly<Record<string, string>>;
  method?: string;
  taskKey?: string;
  retryable: boolean;
}

const marker = Symbol.for("autoflow.error.IntegrationError");

/**
 * Every failure an integration reports, classified into the spec-003 taxonomy. Check with
 * `IntegrationError.isInstance(e)`: it works across two installed copies of core, unlike `instanceof`.
 */
export class IntegrationError extends Error {
  override readonly name: string = "IntegrationError";
  readonly type: IntegrationErrorType;
  readonly provider: string;
  readonly status?: number;
  readonly retryAt?: Date;
  readonly code?: string;
  readonly reason?: IntegrationErrorReason;
  /** The provider's own machine-readable facts besides its code (a card's `declineCode`), when it gave any. */
  readonly details?: Readonly<Record<string, string>>;
  /** The SDK method that failed (`issues.createComment`), when a provider task failed. */
  readonly method?: string;
  /** The key of the task that failed, when a task failed. */
  readonly taskKey?: string;
  // Declared, not initialized: set only when it differs, and not enumerable, so equality checks see no new field.
  declare private readonly retryableOverride?: boolean;

  constructor(options: IntegrationErrorOptions) {
    super(redactSecrets(options.message), { cause: options.cause });
    // Defined, not declared: a field keyed by an unexported symbol breaks .d.ts emission.
    Object.defineProperty(this, marker, { value: true });
    this.type = options.type;
    this.provider = options.provider;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAt !== undefined) this.retryAt = options.retryAt;
    if (options.code !== undefined) this.code = options.code;
    if (options.reason !== undefined) this.reason = options.reason;
    if (options.details !== undefined) this.details = options.details;
    if (options.method !== undefined) this.method = options.method;
    if (options.taskKey !== undefined) this.taskKey = options.taskKey;
    // Kept only when it says something type and reason do not, so a plain error serializes as before.
    if (options.retryable !== undefined && options.retryable !== isRetryable(this.type, this.reason)) {
      Object.defineProperty(this, "retryableOverride", { value: options.retryable });
    }
  }

  /**
   * Derived from `type` and `reason`: `rate-limit`, `network` and `upstream`, unless the reason is final
   * (`outcome_unknown`, ...); a task that declared how a repeat is made safe retries its `outcome_unknown`.
   */
  get retryable(): boolean {
    return this.retryableOverride ?? isRetryable(this.type, this.reason);
  }

  static isInstance(error: unknown): error is IntegrationError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): SerializedIntegrationError {
    return {
      name: this.name,
      type: this.type,
      provider: this.provider,
      message: this.message,
      retryable: this.retryable,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.retryAt !== undefined && { retryAt: this.retryAt.toISOString() }),
      ...(this.code !== undefined && { code: this.code }),
      ...(this.reason !== undefined && { reason: this.reason }),
      ...(this.details !== undefined && { details: this.details }),
      ...(this.method !== undefined && { method: this.method }),
      ...(this.taskKey !== undefined && { taskKey: this.taskKey }),
    };
  }

  /** Rebuilds an error from the task log, so a replay throws what the first run threw. */
  static fromJSON(json: SerializedIntegrationError): IntegrationError {
    return new IntegrationError({
      type: json.type,
      provider: json.provider,
      message: json.message,
      ...(json.status !== undefined && { status: json.status }),
      ...(json.retryAt !== undefined && { retryAt: new Date(json.retryAt) }),
      ...(json.code !== undefined && { code: json.code }),
      ...(json.reason !== undefined && { reason: json.reason }),
      ...(json.details !== undefined && { details: json.details }),
      ...(json.method !== undefined && { method: json.method }),
      ...(json.taskKey !== undefined && { taskKey: json.taskKey }),
      retryable: json.retryable,
    });
  }

  /** The same error with `retryable` decided by the caller (a task whose repeat is safe, or opted in). */
  withRetryable(retryable: boolean): IntegrationError {
    if (retryable === this.retryable) return this;
    return this.with({ retryable });
  }

  /** A copy with some fields replaced (a scrubbed message, the failing task's method and key); `cause` is kept. */
  with(changes: Partial<Omit<IntegrationErrorOptions, "cause">>): IntegrationError {
    return new IntegrationError({
      type: this.type,
      provider: this.provider,
      message: this.message,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.retryAt !== undefined && { retryAt: this.retryAt }),
      ...(this.code !== undefined && { code: this.code }),
      ...(this.reason !== undefined && { reason: this.reason }),
      ...(this.method !== undefined && { method: this.method }),
      ...(this.taskKey !== undefined && { taskKey: this.taskKey }),
      retryable: this.retryable,
      ...(this.cause !== undefined && { cause: this.cause }),
      ...changes,
    });
  }
}
