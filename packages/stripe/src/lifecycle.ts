import { createDeadlineFetch, type ProviderLifecycleFactory, providerLifecycle } from "@autoflow/core";
import type { StripeIntegrationOptions } from "./definition";
import { STRIPE_PROVIDER_DEFINITION } from "./definition";
import { toStripeError } from "./errors";

/** How a Stripe connection was made: Connect OAuth (a Standard account), or a pasted secret or restricted key. */
export type StripeAuthMethod = "oauth2" | "api_key";

/** What a public Stripe connection shows besides the common fields (spec 003's Stripe example). */
export interface StripeConnectionMetadata {
  /** `read_write` (or `read_only`) for Connect; a secret key's `read_write`; none known for a restricted key. */
  scopes: string[];
  /** The account the key or token acts on (`stripe_user_id` for Connect). */
  accountId: string;
  accountName?: string;
  accountEmail?: string;
  /** Live-mode key (`sk_live_`, `rk_live_`) rather than test mode. */
  livemode: boolean;
}

/** Where Connect OAuth lives. */
export const STRIPE_CONNECT_URL = "https://connect.stripe.com";

/** The Connect scope asked for unless the OAuth client names its own. */
export const STRIPE_DEFAULT_SCOPES = ["read_write"];

/** The mode a key works in, from its prefix (`sk_live_`, `rk_test_`, ...). */
export function isLiveKey(key: string): boolean {
  return /^(?:sk|rk)_live_/.test(key);
}

/**
 * The spec-003 lifecycle for Stripe over a connection store: API keys (`sk_`, `rk_`; test or live mode from the
 * prefix) and Connect OAuth for Standard accounts (`connect.stripe.com/oauth/authorize`, scope `read_write`, the
 * platform's secret key as the OAuth client secret); `GET /v1/account` to read and test a key and for health;
 * `POST /oauth/deauthorize` to disconnect a Connect account. A key that is not a Connect connection of this
 * platform cannot be revoked through the API: disconnecting it only forgets it. Takes the store, the Connect
 * app (`oauthClient`) and the client options (`apiBaseUrl`, `timeoutMs`, `fetch`).
 */
export const createStripeLifecycle: ProviderLifecycleFactory<
  StripeIntegrationOptions,
  StripeAuthMethod,
  StripeConnectionMetadata,
  {
    /** Where Connect OAuth lives. Default `https://connect.stripe.com`. */
    connectBaseUrl?: string;
  }
> = providerLifecycle(STRIPE_PROVIDER_DEFINITION, {
  oauthAuthMethod: "oauth2",
  apiKeyAuthMethod: "api_key",
  apiKeyAuthType: "api_key",
  oauth: ({ connectBaseUrl = STRIPE_CONNECT_URL }) => {
    const base = connectBaseUrl.replace(/\/+$/, "");
    return {
      authorizeUrl: `${base}/oauth/authorize`,
      tokenUrl: `${base}/oauth/token`,
      defaultScopes: STRIPE_DEFAULT_SCOPES,
      // The token endpoint answers `{ error: "invalid_grant" }` and the like.
      errorCodeType: toStripeError.typeOfCode,
    };
  },
  async describe(stripe, credential) {
    const account = await stripe.accounts.retrieveCurrent();
    const livemode = isLiveKey(credential.accessToken);
    const scopes =
      credential.scopes ?? (credential.accessToken.startsWith("rk_") ? [] : STRIPE_DEFAULT_SCOPES);
    const accountName =
      account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? undefined;
    const accountEmail = account.email ?? undefined;
    return {
      metadata: {
        scopes,
        accountId: account.id,
        ...(accountName && { accountName }),
        ...(accountEmail && { accountEmail }),
        livemode,
      },
      test: { accountId: account.id, accountName, livemode: String(livemode), scopes: scopes.join(" ") },
    };
  },
  async revoke(stripe, _credential, { oauthClient, options }) {
    if (!oauthClient) return;
    const account = await stripe.accounts.retrieveCurrent();
    const base = (options.connectBaseUrl ?? STRIPE_CONNECT_URL).replace(/\/+$/, "");
    const fetch = createDeadlineFetch(options);
    const response = await fetch(`${base}/oauth/deauthorize`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${oauthClient.clientSecret}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ client_id: oauthClient.clientId, stripe_user_id: account.id }).toString(),
    });
    // 400/401 `invalid_client`: not a Connect account of this platform (a pasted key), which only its owner can roll.
    if (!response.ok && response.status !== 400 && response.status !== 401) {
      throw toStripeError(new Error(`Stripe deauthorize answered ${response.status}`));
    }
  },
});
