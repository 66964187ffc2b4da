import type { StripeRouteRegistrar } from "../stripe-api";
import { list, mergeMetadata, text } from "../stripe-form";
import type { StripeAccount, StripeAnswer, StripeObject, StripeObjects } from "../stripe-state";
import { listPage, missingParam, noSuchObject } from "../stripe-wire";
import { listAnswer, pageQuery } from "./customer-routes";

/** An account as `GET /v1/account` answers it. */
export function accountObject(account: StripeAccount): StripeObject {
  return {
    id: account.id,
    object: "account",
    business_profile: { name: account.displayName, support_email: account.email, url: null },
    business_type: "company",
    charges_enabled: true,
    country: account.country,
    created: 1_700_000_000,
    default_currency: account.defaultCurrency,
    details_submitted: true,
    email: account.email,
    payouts_enabled: true,
    settings: {
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_payments: { statement_descriptor_prefix: null },
      dashboard: { display_name: account.displayName, timezone: "Etc/UTC" },
      payments: { statement_descriptor: null },
    },
    type: "standard",
  };
}

/** The balance: what succeeded payments brought in, less refunds, all available (test mode settles at once). */
function balance(state: StripeObjects, livemode: boolean): StripeAnswer {
  const byCurrency = new Map<string, number>();
  for (const charge of state.list("charges", (c) => c.captured === true)) {
    const currency = String(charge.currency);
    const net = (charge.amount as number) - (charge.amount_refunded as number);
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + net);
  }
  if (byCurrency.size === 0) byCurrency.set("usd", 0);
  const funds = [...byCurrency].map(([currency, amount]) => ({
    amount,
    currency,
    source_types: { card: amount },
  }));
  return {
    object: "balance",
    available: funds,
    livemode,
    pending: funds.map((f) => ({ ...f, amount: 0, source_types: { card: 0 } })),
  };
}

/** `accounts.retrieve()`, `balance.retrieve()`, `webhookEndpoints` (create, list, del) and `events` (list, retrieve). */
export function registerAccountRoutes(route: StripeRouteRegistrar): void {
  route("GET", "/v1/account", (call, { state }) => {
    const account = state.accounts.get(call.key.accountId);
    return account ? accountObject(account) : noSuchObject("account", call.key.accountId);
  });

  route("GET", "/v1/balance", (call, { state }) => balance(state, call.key.livemode));

  route("POST", "/v1/webhook_endpoints", (call, { state, newEndpoint }) => {
    const url = text(call.form, "url");
    if (!url) return missingParam("url");
    const events = list(call.form, "enabled_events").filter((e): e is string => typeof e === "string");
    if (events.length === 0) return missingParam("enabled_events");
    const id = state.newId("webhook_endpoints");
    const endpoint = state.add("webhook_endpoints", {
      id,
      object: "webhook_endpoint",
      api_version: text(call.form, "api_version") ?? null,
      application: null,
      created: state.seconds(),
      description: text(call.form, "description") ?? null,
      enabled_events: events,
      livemode: call.key.livemode,
      metadata: mergeMetadata({}, call.form),
      status: "enabled",
      url,
    });
    // The secret is answered once, on creation. The endpoint is the key's account's; `connect` (the platform's)
    // makes it receive its connected accounts' events.
    const owner = { account: call.key.accountId, connect: text(call.form, "connect") === "true" };
    return { ...endpoint, secret: newEndpoint(id, owner) };
  });

  // An account sees its own endpoints only (the call's `state` is its account's).
  route("GET", "/v1/webhook_endpoints", (call, { state }) => {
    const own = state.list("webhook_endpoints");
    return listAnswer(listPage(own, pageQuery(call.form), "/v1/webhook_endpoints"));
  });

  // The registration's check that its endpoint still exists and is enabled.
  route("GET", "/v1/webhook_endpoints/:webhook_endpoint", (call, { state }) => {
    const id = call.params.webhook_endpoint ?? "";
    return state.get("webhook_endpoints", id) ?? noSuchObject("webhook_endpoint", id, "webhook_endpoint");
  });

  route("DELETE", "/v1/webhook_endpoints/:webhook_endpoint", (call, { state }) => {
    const id = call.params.webhook_endpoint ?? "";
    if (!state.remove("webhook_endpoints", id))
      return noSuchObject("webhook_endpoint", id, "webhook_endpoint");
    return { id, object: "webhook_endpoint", deleted: true };
  });

  route("GET", "/v1/events", (call, { state }) => {
    const type = text(call.form, "type");
    const all = state.list(
      "events",
      (e) => type === undefined || e.type === type || matchesWildcard(type, e),
    );
    return listAnswer(listPage(all, pageQuery(call.form), "/v1/events"));
  });

  route("GET", "/v1/events/:id", (call, { state }) => {
    const id = call.params.id ?? "";
    return state.get("events", id) ?? noSuchObject("event", id);
  });
}

/** `type=customer.*` lists every customer event. */
function matchesWildcard(type: string, event: StripeObject): boolean {
  return type.endsWith(".*") && String(event.type).startsWith(type.slice(0, -1));
}
