import { randomBytes } from "node:crypto";
import type { OAuthAuthority } from "../shared/oauth-authority";
import type { EmulatorRequest } from "../shared/types";
import type { JiraCaller } from "./jira-api";
import type { JiraSubject } from "./jira-oauth";
import type { JiraState } from "./jira-state";

/** A caller, with the OAuth scopes when the call came through the gateway (API tokens have no scopes). */
export type AuthenticatedCaller = JiraCaller & { scopes?: string[] };

/**
 * Who is calling, by the door the request came through: the OAuth gateway (`/ex/jira/{cloudId}/...`) takes Bearer
 * 3LO tokens; the site takes Basic `email:apiToken` (3LO tokens are not accepted on a site's own domain, as on Jira
 * Cloud, and an API token works only with its own account's email).
 */
export class JiraAuth {
  /** API token -> the account it belongs to. */
  private readonly apiTokens = new Map<string, string>();

  constructor(
    private readonly keys: OAuthAuthority<JiraSubject>,
    private readonly state: JiraState,
    private readonly gatewayPath: string,
  ) {}

  /** A new API token (`ATATT...`) for the account. */
  mintApiToken(accountId: string): string {
    const apiToken = `ATATT3xFfGF0${randomBytes(24).toString("hex")}`;
    this.apiTokens.set(apiToken, accountId);
    return apiToken;
  }

  revokeApiToken(apiToken: string): boolean {
    return this.apiTokens.delete(apiToken);
  }

  callerOf(request: EmulatorRequest): AuthenticatedCaller | undefined {
    if (request.path.startsWith(`${this.gatewayPath}/`)) {
      const info = this.keys.lookup(request.bearer);
      const user = info && this.state.user(info.subject.accountId);
      if (!info || !user) return undefined;
      return {
        user,
        via: "oauth",
        scopes: info.scopes,
        ...(info.clientId !== undefined && { clientId: info.clientId }),
      };
    }
    const basic = /^Basic\s+(.+)$/i.exec(String(request.headers.authorization ?? ""));
    if (!basic?.[1]) return undefined;
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const accountId = this.apiTokens.get(decoded.slice(colon + 1));
    const user = accountId ? this.state.user(accountId) : undefined;
    if (!user || user.emailAddress.toLowerCase() !== decoded.slice(0, colon).toLowerCase()) return undefined;
    return { user, via: "basic" };
  }
}
