import {
  isOAuthFailure,
  type OAuthAuthority,
  type OAuthFailure,
  type TokenInfo,
} from "../shared/oauth-authority";
import type { JiraSubject } from "./jira-oauth";

/**
 * The `refresh_token` grant as Atlassian answers it: the refresh token rotates (the used one is refused from then
 * on), but the access token it replaces is not revoked: it works until it expires, as a JWT does. The shared
 * authority drops it on refresh; this puts it back with its own expiry and no refresh token of its own.
 */
export function refreshKeepingAccessToken(
  keys: OAuthAuthority<JiraSubject>,
  request: { refreshToken: string; clientId: string; clientSecret?: string | undefined },
): TokenInfo<JiraSubject> | OAuthFailure {
  const previous = findByRefreshToken(keys, request.refreshToken);
  const answer = keys.refresh(request);
  if (isOAuthFailure(answer) || !previous) return answer;
  const kept = keys.issue({
    scopes: previous.scopes,
    subject: previous.subject,
    accessToken: previous.accessToken,
    ...(previous.clientId !== undefined && { clientId: previous.clientId }),
  });
  // `issue` gives every token a refresh token and a whole new lifetime: the kept one gets neither.
  keys.revokeRefreshTokens((info) => info.accessToken === previous.accessToken);
  if (previous.expiresAt !== undefined) kept.expiresAt = previous.expiresAt;
  return answer;
}

/** The live token a refresh token belongs to (the authority's walk over refresh tokens, revoking none). */
function findByRefreshToken(
  keys: OAuthAuthority<JiraSubject>,
  refreshToken: string,
): TokenInfo<JiraSubject> | undefined {
  let found: TokenInfo<JiraSubject> | undefined;
  keys.revokeRefreshTokens((info) => {
    if (info.refreshToken === refreshToken) found = info;
    return false;
  });
  return found;
}
