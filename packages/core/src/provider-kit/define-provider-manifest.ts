import type { ConnectorLifecycle, ConnectorLifecycleOptions } from "../lifecycle/connector-lifecycle";
import type { ProviderEndpoints, ProviderManifest } from "./provider-manifest";
import type { ProviderSecretShapes } from "./secret-shapes";

/** What a provider writes for its manifest: its own parts; the id, name, secrets and lifecycle wiring are derived. */
export interface ProviderManifestParts<
  TAction,
  TTrigger,
  TClientOptions extends object,
  TLifecycleOptions extends object,
> extends Omit<
    ProviderManifest<TAction, TTrigger>,
    "id" | "name" | "secrets" | "createLifecycle" | "clientOptions"
  > {
  /** The provider definition the integration class is built on: the manifest's id, name and token shapes. */
  definition: { readonly id: string; readonly name: string; readonly secrets: ProviderSecretShapes };
  /** The SDK client's options for the service's endpoints (`baseUrlOption`): for actions, triggers and the lifecycle. */
  clientOptions(endpoints: ProviderEndpoints): TClientOptions;
  /** The provider's lifecycle factory (`createAcmeLifecycle`): its SDK client options, and its own extras. */
  lifecycle(
    options: ConnectorLifecycleOptions & TClientOptions & TLifecycleOptions,
  ): ConnectorLifecycle<string, object>;
  /**
   * The lifecycle's options beyond the client's for the service's endpoints, e.g. the OAuth host from `webUrl`
   * (given without a trailing slash, so a path can be joined on).
   */
  lifecycleEndpoints?(endpoints: ProviderEndpoints): TLifecycleOptions;
}

/**
 * A provider manifest from its parts: `id`, `name` and `secrets` come from the provider definition, and
 * `createLifecycle` hands the provider's lifecycle factory the service's store, OAuth client and clock, the
 * SDK client's options for the configured endpoints (with the service's `fetch`, when it gives one) and whatever
 * `lifecycleEndpoints` adds. Every provider wires these the same way, so none writes it.
 */
export function defineProviderManifest<
  TAction,
  TTrigger,
  TClientOptions extends object,
  TLifecycleOptions extends object = object,
>(
  parts: ProviderManifestParts<TAction, TTrigger, TClientOptions, TLifecycleOptions>,
): ProviderManifest<TAction, TTrigger> {
  const { definition, lifecycle, lifecycleEndpoints, clientOptions, ...manifest } = parts;
  return {
    ...manifest,
    id: definition.id,
    name: definition.name,
    secrets: definition.secrets,
    // An options object of the SDK's own type, merged by the service under the provider's id.
    clientOptions: (endpoints) => ({ ...clientOptions(endpoints) }) as Record<string, unknown>,
    createLifecycle: ({ store, oauthClient, clock, fetch, ...endpoints }) =>
      lifecycle({
        store,
        ...(oauthClient && { oauthClient }),
        ...(clock && { clock }),
        ...clientOptions(endpoints),
        ...(fetch && { fetch }),
        ...(lifecycleEndpoints?.({
          ...endpoints,
          ...(endpoints.webUrl && { webUrl: endpoints.webUrl.replace(/\/+$/, "") }),
        }) as TLifecycleOptions),
      }),
  };
}

/**
 * A manifest's `clientOptions` for an SDK with one base-URL option: `{ [option]: apiUrl }` when the service
 * overrides the API (an emulator, GHES), `{}` otherwise; with the trailing slash the SDK needs (one that joins
 * method names onto its base URL needs it, one that joins `/routes` must not have it).
 */
export function baseUrlOption<K extends string>(
  option: K,
  { trailingSlash }: { trailingSlash: boolean },
): (endpoints: ProviderEndpoints) => Partial<Record<K, string>> {
  return ({ apiUrl }) => {
    if (!apiUrl) return {};
    const bare = apiUrl.replace(/\/+$/, "");
    return { [option]: trailingSlash ? `${bare}/` : bare } as Partial<Record<K, string>>;
  };
}
