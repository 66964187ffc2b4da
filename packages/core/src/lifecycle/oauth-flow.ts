import type { Tier1OAuthStartResult } from "../connection";
import { nodeCrypto } from "../node-crypto";
import type { Clock } from "../runtime/clock";
import type { ConnectionStore } from "./connection-store";
import { ConnectionLifecycleError } from "./lifecycle-errors";
import type { OAuthClientConfig, ProviderAdapter, ProviderCredential } from "./provider-adapter";
import { callProvider } from "./provider-call";

/** What the OAuth flow needs from the lifecycle it belongs to. */
export interface OAuthFlowOptions {
  adapter: ProviderAdapter<string, object>;
  store: ConnectionStore;
  oauthClient?: OAuthClientConfig;
  clock: Clock;
  /** How long a state stays valid. Default 600 s. */
  stateTtlSeconds?: number;
}

/**
 * The OAuth half of a connection lifecycle: `begin` issues a single-use state bound to one user and
 * provider, expiring, with the PKCE verifier kept server-side; `complete` consumes the state and
 * exchanges the code. Storing the resulting connection is the lifecycle's job.
 */
export class OAuthFlow {
  private readonly options: OAuthFlowOptions;
  private readonly pendingStates = new Set<Promise<void>>();

  constructor(options: OAuthFlowOptions) {
    this.options = options;
  }

  /** Starts a flow; the state is written in the background and `complete` (in this process) waits for it. */
  begin(userId: string): Tier1OAuthStartResult {
    return this.start(userId).result;
  }

  /**
   * Starts a flow and resolves once its state is stored, so a callback any process serves finds it (the HTTP
   * API answers only then: the browser may be back before a background write lands).
   */
  async beginStored(userId: string): Promise<Tier1OAuthStartResult> {
    const { result, saving } = this.start(userId);
    await saving;
    return result;
  }

  private start(userId: string): { result: Tier1OAuthStartResult; saving: Promise<void> } {
    const { adapter, oauthClient: client, store, clock } = this.options;
    const { oauth } = adapter;
    if (!oauth || !client) throw notSupported(adapter.provider);
    const expiresInSeconds = this.options.stateTtlSeconds ?? 600;
    const state = `${adapter.provider}_${nodeCrypto().randomBytes(24).toString("base64url")}`;
    const codeVerifier = oauth.pkce ? nodeCrypto().randomBytes(32).toString("base64url") : undefined;
    const codeChallenge =
      codeVerifier && nodeCrypto().createHash("sha256").update(codeVerifier).digest("base64url");
    const saving = store.saveOAuthState({
      state,
      userId,
      provider: adapter.provider,
      expiresAt: new Date(clock.now() + expiresInSeconds * 1000).toISOString(),
      ...(codeVerifier && { codeVerifier }),
    });
    // beginOAuth is synchronous by contract; complete waits for the write.
    this.pendingStates.add(saving);
    saving.finally(() => this.pendingStates.delete(saving)).catch(() => {});
    const authUrl = oauth.authorizeUrl({
      client,
      state,
      scopes: client.scopes ?? oauth.defaultScopes,
      ...(codeChallenge && { codeChallenge }),
    });
    return { result: { authUrl, state, expiresInSeconds, ...(codeVerifier && { codeVerifier }) }, saving };
  }

  /**
   * Checks the state (this provider, not expired, and with `userId` the user who started it) and consumes it
   * only when it matches, so a callback on the wrong provider or from another user leaves the rightful flow
   * usable; then exchanges the code with the PKCE verifier stored with the state, never one a client sends.
   */
  async complete(params: {
    code: string;
    state: string;
    userId?: string;
  }): Promise<{ userId: string; credential: ProviderCredential }> {
    const { adapter, oauthClient: client, store, clock } = this.options;
    const { oauth } = adapter;
    if (!oauth || !client || !adapter.oauthAuthMethod) throw notSupported(adapter.provider);
    await Promise.all([...this.pendingStates]);
    const now = new Date(clock.now()).toISOString();
    const record = await store.consumeOAuthState(params.state, now, params.userId, adapter.provider);
    if (!record) throw new ConnectionLifecycleError("unknown_state", "Unknown OAuth state");
    if (record.usedAt)
      throw new ConnectionLifecycleError("state_reused", "This OAuth state was already used");
    if (record.expiresAt <= now)
      throw new ConnectionLifecycleError("state_expired", "This OAuth state has expired");
    if (record.provider !== adapter.provider) {
      throw new ConnectionLifecycleError(
        "state_provider_mismatch",
        "This OAuth state belongs to another provider",
      );
    }
    if (params.userId !== undefined && record.userId !== params.userId) {
      throw new ConnectionLifecycleError("state_user_mismatch", "This OAuth state belongs to another user");
    }
    const credential = await callProvider(adapter, () =>
      oauth.exchangeCode({
        client,
        code: params.code,
        ...(record.codeVerifier && { codeVerifier: record.codeVerifier }),
      }),
    );
    return { userId: record.userId, credential };
  }
}

function notSupported(provider: string): ConnectionLifecycleError {
  return new ConnectionLifecycleError("oauth_not_supported", `${provider} has no OAuth client configured`);
}
