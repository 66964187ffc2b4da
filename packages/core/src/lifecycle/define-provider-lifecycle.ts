import { ConnectorLifecycle, type ConnectorLifecycleOptions } from "./connector-lifecycle";
import type { ProviderAdapter } from "./provider-adapter";

/**
 * A provider's `createXLifecycle` from its adapter factory: the returned function takes the lifecycle's
 * options (`store`, `oauthClient`, `clock`, `stateTtlSeconds`, `healthCacheSeconds`,
 * `refreshMarginSeconds`) next to the adapter's own, and hands the adapter its options plus the clock.
 * `NonNullable`: a factory whose options are optional (`options = {}`) is inferred with `| undefined`.
 */
export function defineProviderLifecycle<
  TAuthMethod extends string,
  TMetadata extends object,
  TAdapterOptions,
>(
  adapterFactory: (options: TAdapterOptions) => ProviderAdapter<TAuthMethod, TMetadata>,
): (
  options: ConnectorLifecycleOptions & NonNullable<TAdapterOptions>,
) => ConnectorLifecycle<TAuthMethod, TMetadata> {
  return (options) => {
    const { store, oauthClient, stateTtlSeconds, healthCacheSeconds, refreshMarginSeconds, ...adapter } =
      options;
    const lifecycle: ConnectorLifecycleOptions = {
      store,
      ...(oauthClient !== undefined && { oauthClient }),
      ...(options.clock !== undefined && { clock: options.clock }),
      ...(stateTtlSeconds !== undefined && { stateTtlSeconds }),
      ...(healthCacheSeconds !== undefined && { healthCacheSeconds }),
      ...(refreshMarginSeconds !== undefined && { refreshMarginSeconds }),
    };
    // The clock stays in the adapter's options too: adapters date `expiresAt` with it.
    return new ConnectorLifecycle(adapterFactory(adapter as unknown as TAdapterOptions), lifecycle);
  };
}
