import type { EmulatorResponse } from "../../shared/types";
import type { StripeCall, StripeRouteRegistrar } from "../stripe-api";
import { flag, integer, mergeMetadata, object, text } from "../stripe-form";
import type { StripeObject, StripeObjects } from "../stripe-state";
import { listPage, missingParam, noSuchObject } from "../stripe-wire";
import { listAnswer, pageQuery } from "./customer-routes";

function product(state: StripeObjects, call: StripeCall, form = call.form): StripeObject {
  const now = state.seconds();
  return {
    id: state.newId("products"),
    object: "product",
    active: flag(form, "active") ?? true,
    created: now,
    default_price: null,
    description: text(form, "description") ?? null,
    features: [],
    images: [],
    livemode: call.key.livemode,
    metadata: mergeMetadata({}, form),
    name: text(form, "name") ?? "",
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    type: "service",
    unit_label: null,
    updated: now,
    url: null,
  };
}

/** A price of `productId` from a `prices.create` form (or a `price_data` inside another object's form). */
export function priceFrom(
  state: StripeObjects,
  call: StripeCall,
  productId: string,
  form = call.form,
): StripeObject | EmulatorResponse {
  const currency = text(form, "currency");
  if (!currency) return missingParam("currency");
  const recurring = object(form, "recurring");
  return {
    id: state.newId("prices"),
    object: "price",
    active: flag(form, "active") ?? true,
    billing_scheme: "per_unit",
    created: state.seconds(),
    currency,
    custom_unit_amount: null,
    livemode: call.key.livemode,
    lookup_key: text(form, "lookup_key") ?? null,
    metadata: mergeMetadata({}, form),
    nickname: text(form, "nickname") ?? null,
    product: productId,
    recurring: recurring
      ? {
          aggregate_usage: null,
          interval: text(recurring, "interval") ?? "month",
          interval_count: integer(recurring, "interval_count") ?? 1,
          trial_period_days: null,
          usage_type: "licensed",
        }
      : null,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: recurring ? "recurring" : "one_time",
    unit_amount: integer(form, "unit_amount") ?? null,
    unit_amount_decimal: text(form, "unit_amount") ?? null,
  };
}

/** `products` and `prices`: create, retrieve, list. */
export function registerCatalogRoutes(route: StripeRouteRegistrar): void {
  route("POST", "/v1/products", (call, { state, emit }) => {
    if (!text(call.form, "name")) return missingParam("name");
    const created = state.add("products", product(state, call));
    emit("product.created", created, call);
    return created;
  });

  route("GET", "/v1/products", (call, { state }) => {
    const active = flag(call.form, "active");
    const all = state.list("products", (p) => active === undefined || p.active === active);
    return listAnswer(listPage(all, pageQuery(call.form), "/v1/products"));
  });

  route("GET", "/v1/products/:id", (call, { state }) => {
    const id = call.params.id ?? "";
    return state.get("products", id) ?? noSuchObject("product", id);
  });

  route("POST", "/v1/prices", (call, { state, emit }) => {
    let productId = text(call.form, "product");
    const productData = object(call.form, "product_data");
    if (!productId && !productData) return missingParam("product");
    if (productId && !state.get("products", productId)) return noSuchObject("product", productId, "product");
    if (!productId && productData) {
      const made = state.add("products", product(state, call, productData));
      emit("product.created", made, call);
      productId = made.id;
    }
    const price = priceFrom(state, call, productId ?? "");
    if (!("object" in price)) return price;
    const created = state.add("prices", price);
    emit("price.created", created, call);
    return created;
  });

  route("GET", "/v1/prices", (call, { state }) => {
    const productId = text(call.form, "product");
    const all = state.list("prices", (p) => productId === undefined || p.product === productId);
    return listAnswer(listPage(all, pageQuery(call.form), "/v1/prices"));
  });

  route("GET", "/v1/prices/:price", (call, { state }) => {
    const id = call.params.price ?? "";
    return state.get("prices", id) ?? noSuchObject("price", id, "price");
  });
}
