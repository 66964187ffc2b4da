import { randomBytes } from "node:crypto";
import type { ProviderEmulator } from "@autoflow/core";
import { clockFromOptions, type EmulatorClock } from "../shared/emulator-clock";
import { EmulatorServer } from "../shared/emulator-server";
import type { FaultMatch } from "../shared/faults";
import { HttpEmulator, type HttpFault } from "../shared/http-emulator";
import { OAuthAuthority } from "../shared/oauth-authority";
import { serviceEnv } from "../shared/service-env";
import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import type { WebhookSignatureKind } from "../shared/webhook-signature";
import { registerAccountRoutes } from "./routes/account-routes";
import { registerBillingRoutes } from "./routes/billing-routes";
import { registerCatalogRoutes } from "./routes/catalog-routes";
import { registerCheckoutRoutes } from "./routes/checkout-routes";
import { registerCustomerRoutes } from "./routes/customer-routes";
import { registerPaymentRoutes } from "./routes/payment-routes";
import {
  isResponse,
  type StripeApi,
  type StripeCall,
  type StripeHandler,
  type StripeKey,
} from "./stripe-api";
import { DEFAULT_STRIPE_DELIVERY_TIMEOUT_MS, type StripeDelivery, StripeEvents } from "./stripe-events";
import { type FormObject, parseStripeForm } from "./stripe-form";
import { IdempotencyKeys } from "./stripe-idempotency";
import { DEFAULT_CONNECTED_ACCOUNT, registerConnectOAuthRoutes, type StripeSubject } from "./stripe-oauth";
import { StripeRequestValidator } from "./stripe-request-validation";
import { STRIPE_FORMATS, stripeDescription, stripeInvalidRequest } from "./stripe-spec";
import { PLATFORM_ACCOUNT_ID, type StripeObject, StripeState } from "./stripe-state";
import {
  invalidApiKey,
  noAccessToAccount,
  rateLimited,
  stripeError,
  stripeId,
  unrecognizedUrl,
} from "./stripe-wire";

/** The API version an account answers in when a request names none (the SDK always names its pinned one). */
export const STRIPE_DEFAULT_API_VERSION = "2023-08-16";

/** The Standard account the emulator's Connect OAuth consents as, unless the authorize URL names another. */
export const CONNECTED_ACCOUNT_ID = DEFAULT_CONNECTED_ACCOUNT;

export interface StripeEmulatorOptions {
  port?: number;
  /** Times timestamps in answers and events, idempotency windows, rate-limit windows, webhook signatures. Default the wall clock. */
  clock?: EmulatorClock;
  /** How long a webhook endpoint has to answer a delivery. Default 10 s. */
  deliveryTimeoutMs?: number;
  /**
   * A request to a stateful route whose form or query breaks Stripe's description: `refuse` (default) answers
   * Stripe's 400 (`parameter_unknown`, `parameter_missing`, `parameter_invalid`), `record` only adds it to
   * `requestViolations`.
   */
  requestValidation?: "refuse" | "record";
}

/**
 * Stripe's v1 REST API on 127.0.0.1 for what `@autoflow/stripe` calls: form-encoded requests, Bearer API keys
 * (`sk_test_`, `sk_live_`, `rk_`), customers, payment intents (test cards that succeed or decline), refunds,
 * Checkout sessions, products and prices, subscriptions and invoices, webhook endpoints and events, the
 * balance and the account; Stripe's idempotency rules, its error bodies, `Stripe-Version` echoed, Connect OAuth,
 * signed webhook deliveries of every state change, fault injection, and every other described operation
 * answered from the description (`specs/stripe/api-all.json`). A webhook endpoint is the account's whose key
 * created it and gets that account's events, naming no `account`; a `connect: true` endpoint on the platform gets
 * every other account's events instead, naming theirs (Stripe's account and Connect webhooks). The objects themselves
 * are one store that every key reads.
 */
export class StripeEmulator extends HttpEmulator implements ProviderEmulator {
  readonly server: EmulatorServer;
  readonly state: StripeState;
  readonly events: StripeEvents;
  /** Every key and Connect token: who it is, what it may do. */
  readonly keys: OAuthAuthority<StripeSubject>;
  /** The platform's Connect OAuth app: its `client_id` (`ca_`) and, as Stripe has it, a platform secret key. */
  readonly oauthClient: { clientId: string; clientSecret: string };
  private readonly idempotency: IdempotencyKeys;
  /** Connect tokens per connected account, for `/oauth/deauthorize`. */
  private readonly issued = new Map<string, Set<string>>();
  private readonly holds: Array<{ match: FaultMatch; released: Promise<void> }> = [];
  private readonly validator: StripeRequestValidator;
  private readonly requestValidation: "refuse" | "record";
  private readonly now: () => number;

  constructor(options: StripeEmulatorOptions = {}) {
    super();
    const clock = clockFromOptions(options);
    this.now = () => clock.now();
    this.state = new StripeState(this.now);
    this.idempotency = new IdempotencyKeys(this.now);
    this.keys = new OAuthAuthority<StripeSubject>({
      accessTokenPrefix: "sk_test_",
      refreshTokenPrefix: "rt_",
      now: this.now,
    });
    this.events = new StripeEvents(
      this.state,
      () => STRIPE_DEFAULT_API_VERSION,
      clock,
      options.deliveryTimeoutMs ?? DEFAULT_STRIPE_DELIVERY_TIMEOUT_MS,
    );
    this.server = new EmulatorServer({
      name: "stripe",
      clock,
      ...(options.port !== undefined && { port: options.port }),
      rateLimitResponse: ({ retryAfterSeconds }) => rateLimited(retryAfterSeconds),
      notFoundResponse: (request) => unrecognizedUrl(request.method, request.path),
      spec: {
        description: stripeDescription(),
        formats: STRIPE_FORMATS,
        refuse: (request) => this.refusal(request),
        invalid: stripeInvalidRequest,
        finish: (request, response) => this.finish(request, response),
      },
    });
    this.validator = new StripeRequestValidator(stripeDescription());
    this.requestValidation = options.requestValidation ?? "refuse";
    const platformKey = this.mintToken();
    this.oauthClient = { clientId: `ca_${randomBytes(16).toString("hex")}`, clientSecret: platformKey };
    this.keys.registerClient(this.oauthClient.clientId, this.oauthClient.clientSecret);
    const route = (method: string, path: string, handler: StripeHandler) =>
      this.apiRoute(method, path, handler);
    registerAccountRoutes(route);
    registerCustomerRoutes(route);
    registerPaymentRoutes(route);
    registerCheckoutRoutes(route, () => this.webUrl);
    registerCatalogRoutes(route);
    registerBillingRoutes(route);
    registerConnectOAuthRoutes({
      keys: this.keys,
      state: this.state,
      route: (method, path, handler) => this.server.route(method, path, handler),
      clients: new Map([[this.oauthClient.clientSecret, this.oauthClient.clientId]]),
      issued: this.issued,
    });
  }

  /** Stops listening; webhook deliveries still in flight are aborted. */
  override async stop(): Promise<void> {
    await this.events.sender.close();
    await super.stop();
  }

  env(prefix = "AUTOFLOW_STRIPE_"): Record<string, string> {
    return serviceEnv(prefix, { apiUrl: this.apiUrl, webUrl: this.webUrl, oauthClient: this.oauthClient });
  }

  /** Every webhook delivery attempt, oldest first, with the endpoint's answer once it came. */
  get deliveries(): readonly StripeDelivery[] {
    return this.events.sender.log;
  }

  /** A webhook endpoint's signing secret (`whsec_...`), as its creation answered it. */
  endpointSecret(endpointId: string): string | undefined {
    return this.events.secretOf(endpointId);
  }

  /** Resolves once every delivery sent so far has been answered (or has failed). */
  awaitDeliveries(): Promise<void> {
    return this.events.sender.settled();
  }

  /**
   * An API key that works at once: a test-mode secret key (`sk_test_`) of the platform account by default;
   * `livemode` for `sk_live_`, `restricted` for a restricted key (`rk_`), `account` for another account's key,
   * `clientId` for a Connect access token of that OAuth app (which it can deauthorize).
   */
  mintToken(
    options: {
      livemode?: boolean;
      restricted?: boolean;
      account?: string;
      clientId?: string;
      scopes?: string[];
    } = {},
  ): string {
    const account = options.account ?? PLATFORM_ACCOUNT_ID;
    if (!this.state.accounts.has(account)) this.addAccount(account);
    const prefix = `${options.restricted ? "rk" : "sk"}_${options.livemode ? "live" : "test"}_`;
    const token = this.keys.issue({
      scopes: options.scopes ?? (options.restricted ? ["read_only"] : ["read_write"]),
      subject: { accountId: account, livemode: options.livemode === true },
      accessToken: `${prefix}${randomBytes(24).toString("hex")}`,
      ...(options.clientId !== undefined && { clientId: options.clientId }),
    }).accessToken;
    if (options.clientId !== undefined) {
      this.issued.set(account, (this.issued.get(account) ?? new Set()).add(token));
    }
    return token;
  }

  /** The key stops working at once (401), as when it is rolled in the Dashboard. False if unknown. */
  revokeToken(token: string): boolean {
    return this.keys.revoke(token);
  }

  /** Adds a Standard account (Connect OAuth consents as `CONNECTED_ACCOUNT_ID`, seeded on first use). */
  addAccount(id: string, details: { email?: string; displayName?: string } = {}): void {
    this.state.accounts.set(id, {
      id,
      email: details.email ?? `owner@${id.toLowerCase()}.example`,
      displayName: details.displayName ?? "Acme Connected",
      country: "US",
      defaultCurrency: "usd",
    });
  }

  /** Stripe's answer to each standard fault (the transport faults are the server's). */
  protected faultAnswer(fault: HttpFault): EmulatorResponse {
    switch (fault) {
      case "unauthorized":
        return invalidApiKey("sk_test_revoked0000000000000000");
      case "forbidden":
        return stripeError(
          403,
          "invalid_request_error",
          "The provided key 'rk_test_****0000' does not have the required permissions for this endpoint on account 'acct_1AutoFlowEmulator0'.",
          { code: "secret_key_required" },
        );
      case "not-found":
        return stripeError(404, "invalid_request_error", "No such customer: 'cus_missing'", {
          code: "resource_missing",
          param: "id",
        });
      case "invalid-input":
        return stripeError(400, "invalid_request_error", "Missing required param: amount.", {
          code: "parameter_missing",
          param: "amount",
        });
      case "rate-limited":
        return rateLimited(30);
      case "server-error":
        return stripeError(500, "api_error", "Something went wrong on Stripe's end.");
      case "bad-gateway":
        return {
          status: 502,
          headers: { "content-type": "text/html" },
          body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
        };
      case "unavailable":
        return stripeError(503, "api_error", "Stripe is temporarily unavailable.");
    }
  }

  /** At most `perWindow` requests per `windowMs`; beyond that Stripe's 429 `rate_limit` with `Retry-After`. */
  rateLimit(perWindow: number, windowMs: number): void {
    this.server.faults.rateLimit({ limit: perWindow, windowMs });
  }

  /**
   * The next `count` matching requests wait (after their idempotency key is taken, before they act) until the
   * returned function is called: a second request with the same key meanwhile gets 409 `idempotency_key_in_use`.
   */
  holdRequests(match: FaultMatch = {}): () => void {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hold = { match, released };
    this.holds.push(hold);
    return () => {
      this.holds.splice(this.holds.indexOf(hold), 1);
      release();
    };
  }

  /** Checkout's payment page, completed by the customer: the session is paid (`checkout.session.completed`). */
  completeCheckoutSession(id: string): StripeObject {
    const session = this.state.get("checkout_sessions", id);
    if (session?.status !== "open") throw new Error(`StripeEmulator: no open Checkout Session ${id}`);
    session.status = "complete";
    session.payment_status = session.mode === "setup" ? "no_payment_required" : "paid";
    session.url = null;
    this.events.emit("checkout.session.completed", session, undefined);
    return session;
  }

  /** Sends an event again to every endpoint it went to (the Dashboard's "Resend"); resolves when answered. */
  redeliver(eventId: string): Promise<StripeDelivery[]> {
    return this.events.redeliver(eventId);
  }

  /** Sends an event to one endpoint, signed as asked (`bad`, `malformed`, `missing`) or at another time; resolves when answered. */
  sendEvent(
    eventId: string,
    endpointId: string,
    options: { signature?: WebhookSignatureKind; timestamp?: number } = {},
  ): Promise<StripeDelivery> {
    const event = this.state.get("events", eventId);
    const endpoint = this.state.get("webhook_endpoints", endpointId);
    if (!event || !endpoint) throw new Error(`StripeEmulator: no event ${eventId} or endpoint ${endpointId}`);
    return this.events.send(event, endpoint, options);
  }

  /** Holds webhook deliveries until `releaseDeliveries`, which sends them newest first by default (out of order). */
  holdDeliveries(): void {
    this.events.hold();
  }

  releaseDeliveries(order: "reverse" | "in-order" = "reverse"): void {
    this.events.release(order);
  }

  /**
   * Back to the seeded state: every object, event, endpoint and idempotency key created since is gone, faults
   * cleared, the request log emptied. Keys minted so far keep working; the delivery log is kept.
   */
  async reset(): Promise<void> {
    this.state.reset();
    this.idempotency.clear();
    this.server.clearLog();
    await this.clearFaults();
  }

  /** The key a request authenticates with (Bearer, or Basic with the key as user name), if the emulator knows it. */
  private keyOf(request: EmulatorRequest): StripeKey | undefined {
    const basic = /^Basic\s+(.+)$/i.exec(String(request.headers.authorization ?? ""));
    const key =
      request.bearer ?? (basic?.[1] ? Buffer.from(basic[1], "base64").toString().split(":")[0] : undefined);
    const info = this.keys.lookup(key);
    if (!key || !info || !this.state.accounts.has(info.subject.accountId)) return undefined;
    // A platform key may act as a connected account (`Stripe-Account`).
    const asAccount = header(request, "stripe-account");
    return {
      key,
      accountId: asAccount ?? info.subject.accountId,
      livemode: info.subject.livemode,
      ...(key.startsWith("rk_") && { permissions: info.scopes }),
      ...(info.clientId !== undefined && { clientId: info.clientId }),
    };
  }

  /** The answer to a call the key does not allow: none (401), or an account it may not act on (403). */
  private refusal(request: EmulatorRequest, key = this.keyOf(request)): EmulatorResponse | undefined {
    if (!key) return this.finish(request, invalidApiKey(request.bearer));
    if (!this.mayActOn(key)) return this.finish(request, noAccessToAccount(key.key, key.accountId));
    return undefined;
  }

  /**
   * Whether the key may act on the account the call names: its own, or, for the platform's own key (not a
   * connected account's OAuth token), one of the accounts connected to it (`Stripe-Account`).
   */
  private mayActOn(key: StripeKey): boolean {
    const own = this.keys.lookup(key.key)?.subject.accountId;
    if (key.accountId === own) return true;
    return (
      own === PLATFORM_ACCOUNT_ID && key.clientId === undefined && this.state.accounts.has(key.accountId)
    );
  }

  /** What every answer carries: a request id, the `Stripe-Version` it was made with, the idempotency key. */
  private finish(request: EmulatorRequest, response: EmulatorResponse): EmulatorResponse {
    const idempotencyKey = header(request, "idempotency-key");
    return {
      ...response,
      headers: {
        "request-id": stripeId("req", 14),
        "stripe-version": header(request, "stripe-version") ?? STRIPE_DEFAULT_API_VERSION,
        ...(idempotencyKey !== undefined &&
          request.method === "POST" && { "idempotency-key": idempotencyKey }),
        ...response.headers,
      },
    };
  }

  private apiRoute(method: string, path: string, handler: StripeHandler): void {
    this.server.route(method, path, async (request) => {
      const key = this.keyOf(request);
      if (!key) return this.finish(request, invalidApiKey(request.bearer));
      const denied = this.refusal(request, key);
      if (denied) return denied;
      const form = parseStripeForm(
        method === "POST" ? request.rawBody.toString("utf8") : request.query.toString(),
      );
      const refused = this.invalid(request, form);
      if (refused) return refused;
      const idempotencyKey = method === "POST" ? header(request, "idempotency-key") : undefined;
      const call: StripeCall = {
        request,
        params: request.params,
        form,
        key,
        apiVersion: header(request, "stripe-version") ?? STRIPE_DEFAULT_API_VERSION,
        ...(idempotencyKey !== undefined && { idempotencyKey }),
      };
      const api: StripeApi = {
        state: this.state.of(key.accountId),
        emit: (type, object, from, previous) => {
          this.events.emit(type, object, from, previous);
        },
        newEndpoint: (endpointId, owner) => this.events.newEndpoint(endpointId, owner),
      };
      const run = () => {
        const answer = handler(call, api);
        return this.finish(request, isResponse(answer) ? answer : { status: 200, body: answer });
      };
      if (idempotencyKey === undefined) {
        await this.held(request);
        return run();
      }
      const fingerprint = `${method} ${request.path} ${request.rawBody.toString("utf8")}`;
      const decision = this.idempotency.begin(key.accountId, idempotencyKey, fingerprint);
      if (decision.kind === "answer") return this.finish(request, decision.response);
      try {
        await this.held(request);
        const response = run();
        decision.finish(response);
        return response;
      } catch (error) {
        decision.finish({ status: 500 });
        throw error;
      }
    });
  }

  /** Stripe's 400 for a form or query that breaks the description (recorded either way), before anything acts. */
  private invalid(request: EmulatorRequest, form: FormObject): EmulatorResponse | undefined {
    const described = this.server.spec?.match(request);
    if (!described) return undefined;
    const violations = this.validator.validate(described.operation, form);
    if (violations.length === 0) return undefined;
    this.server.spec?.violations.push(...violations);
    return this.requestValidation === "refuse"
      ? this.finish(request, stripeInvalidRequest(violations))
      : undefined;
  }

  private async held(request: EmulatorRequest): Promise<void> {
    const hold = this.holds.find(({ match }) => matches(match, request));
    if (hold) await hold.released;
  }
}

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function matches(match: FaultMatch, request: EmulatorRequest): boolean {
  if (match.method && match.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string" ? match.path === request.path : match.path.test(request.path);
}
