import type { TokenInfo } from "../shared/oauth-authority";
import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import type { GithubAccount, GithubState } from "./github-state";
import type { Urls } from "./github-wire";
import type { WebhookSink } from "./webhook-deliveries";

/** Who a token belongs to. */
export type GithubSubject = { login: string };

/** What an authenticated API route handler gets besides the request. */
export interface ApiContext {
  state: GithubState;
  user: GithubAccount;
  token: TokenInfo<GithubSubject>;
  urls: Urls;
  /** Where a state change announces itself to the repository's webhooks. */
  webhooks: WebhookSink;
}

export type ApiHandler = (request: EmulatorRequest, context: ApiContext) => EmulatorResponse;

/**
 * Registers an authenticated REST route, at the root and under `/api/v3` (GitHub Enterprise Server).
 * `scopes`: the token needs one of them (empty: any token).
 */
export type ApiRegistrar = (method: string, path: string, scopes: string[], handler: ApiHandler) => void;
