import { instanceMethodTree } from "@autoflow/core";
import StripeSdk from "stripe";

/** What every Stripe resource object has besides its API methods. */
type ResourceInternals =
  | "_stripe"
  | "stripe"
  | "path"
  | "resourcePath"
  | "basePath"
  | "requestDataProcessor"
  | "initialize"
  | "_makeRequest";

/** A Stripe resource (`customers`) or namespace (`checkout`, `v2.core`) as its API methods alone. */
export type StripeMethods<R> = {
  [K in keyof R as K extends ResourceInternals ? never : K]: R[K] extends (...args: never) => unknown
    ? R[K]
    : StripeMethods<R[K]>;
};

/** Members of the client that are not API namespaces (configuration, events, helpers). */
type NotNamespaces = `_${string}` | "VERSION" | "on" | "off" | "once" | "errors" | "webhooks" | "Decimal";

/**
 * The `stripe` client's method tree: every resource and namespace (`customers`, `checkout.sessions`,
 * `v2.core.events`) with its methods, typed from the SDK; what the kit's passthrough maps to tasks.
 */
export type StripeTree = {
  [K in keyof StripeSdk as K extends NotNamespaces
    ? never
    : StripeSdk[K] extends (...args: never) => unknown
      ? never
      : K]: StripeMethods<StripeSdk[K]>;
};

/**
 * The client's method tree: Stripe's resources are class instances whose methods live on their prototypes, read
 * by the kit's `instanceMethodTree` into the plain namespaces the passthrough reads. Built once per client.
 */
export function stripeMethodTree(client: StripeSdk): StripeTree {
  return instanceMethodTree<StripeTree>(client, {
    isResource: (value) => value instanceof StripeSdk.StripeResource,
    resourceBase: StripeSdk.StripeResource.prototype,
    skip: (key) => key.startsWith("_") || key === "stripe",
  });
}
