import StripeSdk from "stripe";

/**
 * A view of `client` whose API methods send `Idempotency-Key: key`: the SDK's `idempotencyKey` request option,
 * put in the method's options argument, the last of its declared parameters (`cancel(id, params, options)`; the
 * SDK reads arguments by position), with the params left out as `undefined` where the call gave none. What tasks
 * that declare `idempotency: "native"` call; hand-written tasks never pass request options of their own.
 */
export function withStripeIdempotencyKey(client: StripeSdk, key: string): StripeSdk {
  return keyed(client, key) as StripeSdk;
}

function keyed(target: object, key: string): object {
  const isResource = target instanceof StripeSdk.StripeResource;
  return new Proxy(target, {
    get(own, prop) {
      const value: unknown = Reflect.get(own, prop, own);
      if (typeof prop !== "string" || prop.startsWith("_") || prop === "stripe") return value;
      if (typeof value === "function") {
        if (!isResource) return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const at = method.length > 0 ? method.length - 1 : args.length;
          const padded = Array.from({ length: Math.max(at + 1, args.length) }, (_, i) => args[i]);
          padded[at] = { ...(padded[at] as object | undefined), idempotencyKey: key };
          return method.apply(own, padded);
        };
      }
      return typeof value === "object" && value !== null ? keyed(value, key) : value;
    },
  });
}
