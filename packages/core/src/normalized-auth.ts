import type { ConnectionAuth } from "./integration";

/** The credential shapes an action's `authType` may name (spec 002). */
export type AuthType = "oauth2" | "api_key" | "bearer_token";

/** The normalized auth object the worker decrypts from the vault and hands to `run()` (spec 002). */
export type NormalizedAuth =
  | { provider: string; type: "api_key"; api_key: string }
  | { provider: string; type: "oauth2"; access_token: string; refresh_token?: string; expires_at?: string }
  | { provider: string; type: "bearer_token"; token: string };

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
  return { type: auth.type === "oauth2" ? "oauth2" : "apiKey", accessToken: credentialOf(auth) };
}
