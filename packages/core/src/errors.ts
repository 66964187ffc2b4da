import { redactSecrets } from "./redact-secrets";

/** The frozen error taxonomy of spec 003. Changing it is a major version. */
export const INTEGRATION_ERROR_TYPES = ["auth", "rate-limit", "schema", "network", "upstream"] as const;
export type IntegrationErrorType = (typeof INTEGRATION_ERROR_TYPES)[number];

const RETRYABLE: ReadonlySet<IntegrationErrorType> = new Set(["rate-limit", "network", "upstream"]);

/** Only `rate-limit`, `network` and `upstream` are retried; `auth` and `schema` fail fast. */
export function isRetryableErrorType(type: IntegrationErrorType): boolean {
  return RETRYABLE.has(type);
}

export function isIntegrationErrorType(value: unknown): value is IntegrationErrorType {
  return typeof value === "string" && (INTEGRATION_ERROR_TYPES as readonly string[]).includes(value);
}

export interface IntegrationErrorOptions {
  type: IntegrationErrorType;
  /** The integration's slug, e.g. "slack". */
  provider: string;
  message: string;
  /** HTTP status, when the provider answered. */
  status?: number;
  /** When the provider says a retry may succeed (Retry-After, a rate-limit reset). */
  retryAt?: Date;
  /** The provider's or transport's own code, e.g. "channel_not_found" or "ECONNREFUSED". */
  code?: string;
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

  constructor(options: IntegrationErrorOptions) {
    super(redactSecrets(options.message), { cause: options.cause });
    // Defined, not declared: a field keyed by an unexported symbol breaks .d.ts emission.
    Object.defineProperty(this, marker, { value: true });
    this.type = options.type;
    this.provider = options.provider;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAt !== undefined) this.retryAt = options.retryAt;
    if (options.code !== undefined) this.code = options.code;
  }

  /** Derived from `type`: true for `rate-limit`, `network` and `upstream`. */
  get retryable(): boolean {
    return isRetryableErrorType(this.type);
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
    };
  }

  /** Rebuilds an error from the task log, so a replay throws what the first run threw. */
  static fromJSON(json: SerializedIntegrationError): IntegrationError {
    const error = new IntegrationError({
      type: json.type,
      provider: json.provider,
      message: json.message,
      ...(json.status !== undefined && { status: json.status }),
      ...(json.retryAt !== undefined && { retryAt: new Date(json.retryAt) }),
      ...(json.code !== undefined && { code: json.code }),
    });
    return error;
  }
}
