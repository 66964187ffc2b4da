import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import type { FormObject } from "./stripe-form";
import type { StripeAnswer, StripeObject, StripeObjects } from "./stripe-state";

/** An API key the emulator accepts, and whose account it acts on. */
export interface StripeKey {
  key: string;
  accountId: string;
  livemode: boolean;
  /** A restricted key's permissions (`rk_`), as `resource:read|write`; absent for a secret key. */
  permissions?: readonly string[];
  /** The Connect OAuth client that issued it, for a connected account's access token. */
  clientId?: string;
}

/** One authenticated API call, as a route reads it. */
export interface StripeCall {
  request: EmulatorRequest;
  /** The `:name` segments of the route. */
  params: Record<string, string>;
  /** The form body (POST) or the query (GET, DELETE), read back into nested objects. */
  form: FormObject;
  key: StripeKey;
  /** The `Stripe-Version` the call was made with (the account's default when none was sent). */
  apiVersion: string;
  idempotencyKey?: string;
}

/**
 * Whose a webhook endpoint is: the account whose key created it, which gets its own events there, and whether it
 * is a Connect endpoint (`connect: true`, on the platform), which gets its connected accounts' events, each naming
 * its `account`.
 */
export interface StripeEndpointOwner {
  account: string;
  connect: boolean;
}

/** What a route can do besides reading its call: the account's objects and its events. */
export interface StripeApi {
  /** The objects of the account the call acts on (its key's, or the one `Stripe-Account` names). */
  state: StripeObjects;
  /** Records an event for a state change the call made, and delivers it to the webhook endpoints that want it. */
  emit(type: string, object: StripeObject, call: StripeCall, previous?: Record<string, unknown>): void;
  /**
   * A new webhook endpoint's signing secret, which its deliveries are signed with; `owner` is whose it is (the
   * account of the key that created it) and whether it is a Connect endpoint.
   */
  newEndpoint(endpointId: string, owner: StripeEndpointOwner): string;
}

/** A route: its answer is a Stripe object (200) or an error answer. */
export type StripeHandler = (call: StripeCall, api: StripeApi) => StripeAnswer | EmulatorResponse;

/** Registers a route on the emulator: `method`, a path with `:name` segments, the handler. */
export type StripeRouteRegistrar = (method: string, path: string, handler: StripeHandler) => void;

/** Whether a handler answered an error rather than an object. */
export function isResponse(answer: StripeAnswer | EmulatorResponse): answer is EmulatorResponse {
  return !("object" in answer && typeof answer.object === "string");
}
