import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";

/** The longest user id (`sub`) accepted: ids are stored and compared on every row a user owns. */
const MAX_SUBJECT_LENGTH = 255;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** How the HTTP API learns who is calling: `Authorization: Bearer <user-jwt>`. */
export interface UserAuthConfig {
  /** HS256 shared secret (development). */
  jwtSecret?: string;
  /** JWKS URL (production): RS256/ES256 keys, fetched and cached by jose. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** The oldest a token may be, counted from its `iat` (which is required). Default 86400 s (24 h). */
  maxTokenAgeSeconds?: number;
  /** The clock tokens are checked against (tests). Default: the system clock. */
  now?: () => Date;
}

/** How long after it was issued a user token is accepted, whatever its `exp` says. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 24 * 60 * 60;

export type UserVerifier = (authorization: string | undefined) => Promise<{ userId: string }>;

const marker = Symbol.for("autoflow.error.UnauthenticatedError");

/** A request without a valid user token: always 401, never a detail that helps a forger. */
export class UnauthenticatedError extends Error {
  override readonly name = "UnauthenticatedError";

  constructor(message: string) {
    super(message);
    Object.defineProperty(this, marker, { value: true });
  }

  static isInstance(error: unknown): error is UnauthenticatedError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/**
 * Verifies user JWTs with jose: algorithms pinned (HS256 for a secret; RS256/ES256/EdDSA for a
 * JWKS; `alg: none` is never accepted), `exp`, `iat` and `sub` required, a token older than `maxTokenAgeSeconds`
 * refused (a leaked long-lived token stops working within a day), issuer and audience checked when set.
 */
export function createUserVerifier(config: UserAuthConfig): UserVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
    algorithms = ["RS256", "ES256", "EdDSA"];
  } else if (config.jwtSecret) {
    if (config.jwtSecret.length < 32) throw new Error("AUTOFLOW_JWT_SECRET must be at least 32 characters");
    key = new TextEncoder().encode(config.jwtSecret);
    algorithms = ["HS256"];
  } else {
    throw new Error(
      "Set AUTOFLOW_JWT_SECRET (HS256, development) or AUTOFLOW_JWKS_URL (production) to verify user tokens",
    );
  }

  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!token) throw new UnauthenticatedError("Missing bearer token");
    let payload: JWTPayload;
    try {
      const options = {
        algorithms,
        requiredClaims: ["exp", "iat", "sub"],
        maxTokenAge: config.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS,
        ...(config.now && { currentDate: config.now() }),
        ...(config.issuer && { issuer: config.issuer }),
        ...(config.audience && { audience: config.audience }),
      };
      // Two calls because jose's overloads take a key or a key getter, not their union.
      payload =
        typeof key === "function"
          ? (await jwtVerify(token, key, options)).payload
          : (await jwtVerify(token, key, options)).payload;
    } catch {
      throw new UnauthenticatedError("Invalid or expired token");
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0)
      throw new UnauthenticatedError("Token has no subject");
    // The subject is the owner id of every row the user touches: a control character (NUL above all, which
    // PostgreSQL's text columns refuse) or an unbounded length is refused here, not as a database error.
    if (payload.sub.length > MAX_SUBJECT_LENGTH || CONTROL_CHARACTER.test(payload.sub))
      throw new UnauthenticatedError("Token subject is not a usable user id");
    return { userId: payload.sub };
  };
}
