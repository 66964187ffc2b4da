import { IntegrationError } from "./errors";
import type { ConnectionAuth } from "./integration";

/** The credential shapes an action's `authType` may name (spec 002). */
export type AuthType = "oauth2" | "api_key" | "bearer_token";

/**
 * The normalized auth object the worker decrypts from the vault and hands to `run()` (spec 002), with two
 * additive fields: `additional_fields`, what the provider's client needs besides the token (a site-bound API
 * token's account `email` and `siteUrl`, the `cloudId` an OAuth token reaches; not secret, absent for most providers), and
 * `connection_id`, the service's connection the credential is of, so what a run keeps per connection (a sync's
 * record → issue mappings) stays that connection's, and so its user's.
 */
export type NormalizedAuth =
  | {
      provider: string;
      type: "api_key";
      api_key: string;
      additional_fields?: AdditionalAuthFields;
      connection_id?: string;
    }
  | {
      provider: string;
      type: "oauth2";
      access_token: string;
      refresh_token?: string;
      expires_at?: string;
      additional_fields?: AdditionalAuthFields;
      connection_id?: string;
    }
  | {
      provider: string;
      type: "bearer_token";
      token: string;
      additional_fields?: AdditionalAuthFields;
      connection_id?: string;
    };

/** `NormalizedAuth.additional_fields`: what a provider's client needs besides the token. */
export type AdditionalAuthFields = Record<string, string>;

const marker = Symbol.for("autoflow.error.AuthTypeMismatchError");

/**
 * A step's bound credential is not of the shape its action expects (spec 002 `authType`). An `auth`
 * IntegrationError, so it fails fast like any other credential problem.
 */
export class AuthTypeMismatchError extends IntegrationError {
  override readonly name = "AuthTypeMismatchError";
  readonly expected: readonly AuthType[];
  readonly actual: string;

  constructor(provider: string, expected: readonly AuthType[], actual: string) {
    super({
      type: "auth",
      provider,
      code: "auth_type_mismatch",
      message: `The ${provider} credential is "${actual}", but this step needs ${expected.map((t) => `"${t}"`).join(" or ")}`,
    });
    this.expected = expected;
    this.actual = actual;
    Object.defineProperty(this, marker, { value: true });
  }

  static override isInstance(error: unknown): error is AuthTypeMismatchError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/**
 * Checks an untrusted value (decrypted from the vault, or sent by a client) is a well-formed
 * normalized auth object of one of the `accepted` types, and returns it typed. Messages name the
 * problem, never the secret.
 */
export function assertNormalizedAuth(
  value: unknown,
  accepted: readonly AuthType[],
  provider: string,
): NormalizedAuth {
  if (typeof value !== "object" || value === null)
    throw new TypeError(`The ${provider} credential is not an object`);
  const auth = value as Record<string, unknown>;
  const type = typeof auth.type === "string" ? auth.type : "missing";
  if (!accepted.includes(type as AuthType)) throw new AuthTypeMismatchError(provider, accepted, type);
  const field = type === "api_key" ? "api_key" : type === "oauth2" ? "access_token" : "token";
  if (typeof auth[field] !== "string" || auth[field] === "") {
    throw new TypeError(`The ${provider} credential of type "${type}" has no ${field}`);
  }
  if (typeof auth.provider !== "string" || auth.provider !== provider) {
    throw new TypeError(`The credential belongs to "${String(auth.provider)}", not ${provider}`);
  }
  const fields = auth.additional_fields;
  if (
    fields !== undefined &&
    (typeof fields !== "object" ||
      fields === null ||
      Array.isArray(fields) ||
      !Object.values(fields).every((v) => typeof v === "string"))
  ) {
    throw new TypeError(`The ${provider} credential's additional_fields is not an object of strings`);
  }
  return auth as NormalizedAuth;
}

/** The bearer credential of any normalized auth object. */
export function credentialOf(auth: NormalizedAuth): string {
  switch (auth.type) {
    case "api_key":
      return auth.api_key;
    case "oauth2":
      return auth.access_token;
    case "bearer_token":
      return auth.token;
  }
}

/** The `cloneForRun` form of a vault credential. */
export function toConnectionAuth(auth: NormalizedAuth): ConnectionAuth {
  return {
    type: auth.type === "oauth2" ? "oauth2" : "apiKey",
    accessToken: credentialOf(auth),
    ...(auth.additional_fields && { additionalFields: auth.additional_fields }),
    ...(auth.connection_id !== undefined && { connectionId: auth.connection_id }),
  };
}
