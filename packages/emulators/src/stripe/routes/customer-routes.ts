import type { EmulatorResponse } from "../../shared/types";
import type { StripeCall, StripeRouteRegistrar } from "../stripe-api";
import { type FormObject, mergeMetadata, object, text } from "../stripe-form";
import type { StripeAnswer, StripeObject, StripeObjects } from "../stripe-state";
import { listPage, missingParam, noSuchObject, stripeError } from "../stripe-wire";

const FIELDS = ["email", "name", "description", "phone"] as const;

/** A customer as Stripe answers it. */
function customer(state: StripeObjects, call: StripeCall): StripeObject {
  const { form } = call;
  return {
    id: state.newId("customers"),
    object: "customer",
    address: null,
    balance: 0,
    created: state.seconds(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: text(form, "description") ?? null,
    discount: null,
    email: text(form, "email") ?? null,
    invoice_prefix: state.newId("customers").slice(4, 12).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: call.key.livemode,
    metadata: mergeMetadata({}, form),
    name: text(form, "name") ?? null,
    next_invoice_sequence: 1,
    phone: text(form, "phone") ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

/** Looks up a customer that is not deleted. */
export function findCustomer(
  state: StripeObjects,
  id: string,
  param = "customer",
): StripeObject | EmulatorResponse {
  return state.get("customers", id) ?? noSuchObject("customer", id, param);
}

/** The refusal of a `customer` parameter naming no customer of the call's account; undefined when none is named. */
export function unknownCustomer(state: StripeObjects, form: FormObject): EmulatorResponse | undefined {
  const id = text(form, "customer");
  if (id === undefined) return undefined;
  return state.get("customers", id) ? undefined : noSuchObject("customer", id, "customer");
}

/**
 * Stripe's search query language, the part the emulator reads: `field:'value'` clauses joined by `AND` or `OR`
 * over `email`, `name`, `phone` and `metadata['key']`; `~` for a substring.
 */
export function searchMatcher(query: string): ((object: StripeObject) => boolean) | undefined {
  const clauses = query.split(/\s+(AND|OR)\s+/);
  const tests: Array<(o: StripeObject) => boolean> = [];
  const joins: string[] = [];
  for (const [i, clause] of clauses.entries()) {
    if (i % 2 === 1) {
      joins.push(clause);
      continue;
    }
    const match = /^(-)?(metadata\[['"]([^'"]+)['"]\]|[a-z_]+)\s*([:~])\s*['"](.*)['"]$/.exec(clause.trim());
    if (!match) return undefined;
    const [, negate, field = "", metadataKey, operator, value = ""] = match;
    tests.push((o) => {
      const actual = metadataKey
        ? (o.metadata as Record<string, string> | undefined)?.[metadataKey]
        : (o[field] as unknown);
      const hit =
        typeof actual === "string" && (operator === "~" ? actual.includes(value) : actual === value);
      return negate ? !hit : hit;
    });
  }
  return (o) =>
    tests.reduce<boolean>(
      (acc, test, i) => (i === 0 ? test(o) : joins[i - 1] === "OR" ? acc || test(o) : acc && test(o)),
      false,
    );
}

/** `{ object: "search_result", data, has_more, next_page, url }`; `page` is the offset of the next page. */
export function searchPage(
  objects: StripeObject[],
  form: FormObject,
  url: string,
): StripeAnswer | EmulatorResponse {
  const query = text(form, "query");
  if (!query) return missingParam("query");
  const matches = searchMatcher(query);
  if (!matches) {
    return stripeError(400, "invalid_request_error", `Invalid search query: ${query}`, {
      code: "parameter_invalid_string",
      param: "query",
    });
  }
  const limit = Number(text(form, "limit") ?? 10);
  const offset = Number(text(form, "page") ?? 0);
  const found = objects.filter(matches);
  const data = found.slice(offset, offset + limit);
  const more = offset + data.length < found.length;
  return {
    object: "search_result",
    data,
    has_more: more,
    next_page: more ? String(offset + data.length) : null,
    url,
  };
}

/** `customers`: create, retrieve, update, list, del and search. */
export function registerCustomerRoutes(route: StripeRouteRegistrar): void {
  route("POST", "/v1/customers", (call, { state, emit }) => {
    const created = state.add("customers", customer(state, call));
    emit("customer.created", created, call);
    return created;
  });

  route("GET", "/v1/customers/search", (call, { state }) =>
    searchPage(state.list("customers"), call.form, "/v1/customers/search"),
  );

  route("GET", "/v1/customers", (call, { state }) => {
    const email = text(call.form, "email");
    const all = state.list("customers", (c) => email === undefined || c.email === email);
    return listAnswer(listPage(all, pageQuery(call.form), "/v1/customers"));
  });

  route("GET", "/v1/customers/:customer", (call, { state }) => {
    const id = call.params.customer ?? "";
    if (state.isDeletedCustomer(id)) return { id, object: "customer", deleted: true };
    return state.get("customers", id) ?? noSuchObject("customer", id);
  });

  route("POST", "/v1/customers/:customer", (call, { state, emit }) => {
    const found = findCustomer(state, call.params.customer ?? "", "id");
    if (!("object" in found)) return found;
    const previous: Record<string, unknown> = {};
    for (const field of FIELDS) {
      const value = text(call.form, field);
      if (value === undefined) continue;
      previous[field] = found[field];
      found[field] = value === "" ? null : value;
    }
    if (object(call.form, "metadata") || call.form.metadata === "") {
      previous.metadata = found.metadata;
      found.metadata = mergeMetadata(found.metadata as Record<string, string>, call.form);
    }
    emit("customer.updated", found, call, previous);
    return found;
  });

  route("DELETE", "/v1/customers/:customer", (call, { state, emit }) => {
    const id = call.params.customer ?? "";
    const found = state.get("customers", id);
    if (!found) return noSuchObject("customer", id);
    state.remove("customers", id);
    state.markCustomerDeleted(id);
    emit("customer.deleted", found, call);
    return { id, object: "customer", deleted: true };
  });
}

/** The paging parameters of a list request. */
export function pageQuery(form: FormObject) {
  return {
    limit: text(form, "limit"),
    starting_after: text(form, "starting_after"),
    ending_before: text(form, "ending_before"),
  };
}

/** A list page as a route's answer (a list page is a Stripe object of type `list`). */
export function listAnswer(page: ReturnType<typeof listPage>): StripeAnswer | EmulatorResponse {
  return "object" in page ? (page as unknown as StripeAnswer) : page;
}
