const marker = Symbol.for("autoflow.error.ConnectionLifecycleError");

export type ConnectionLifecycleErrorCode =
  | "unknown_state"
  | "state_reused"
  | "state_expired"
  | "state_user_mismatch"
  | "state_provider_mismatch"
  | "oauth_not_supported"
  | "api_key_not_supported"
  | "missing_credential"
  | "connection_not_found";

/** A refused lifecycle step (bad OAuth state, unknown connection, ...): the HTTP layer maps `code` to 400/403/404. */
export class ConnectionLifecycleError extends Error {
  override readonly name = "ConnectionLifecycleError";
  readonly code: ConnectionLifecycleErrorCode;

  constructor(code: ConnectionLifecycleErrorCode, message: string) {
    super(message);
    this.code = code;
    Object.defineProperty(this, marker, { value: true });
  }

  static isInstance(error: unknown): error is ConnectionLifecycleError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
