import type { ConnectorLifecycle, ConnectorLifecycleOptions } from "../lifecycle/connector-lifecycle";
import type { ProviderEndpoints, ProviderManifest } from "./provider-manifest";
import type { ProviderSecretShapes } from "./secret-shapes";

/** What a provider writes for its manifest: its own parts; the id, name, secrets and lifecycle wiring are derived. */
export interface ProviderManifestParts<TAction, TTrigger, TLifecycleOptions>
  extends Omit<ProviderManifest<TAction, TTrigger>, "id" | "name" | "secrets" | "createLifecycle"> {
  /** The provider definition the integration class is built on: the manifest's id, name and token shapes. */
  definition: { readonly id: string; readonly name: string; readonly secrets: ProviderSecretShapes };
  /** The provider's lifecycle factory (`createAcmeLifecycle`). */
  lifecycle(options: ConnectorLifecycleOptions & TLifecycleOptions): ConnectorLifecycle<string, object>;
  /** The lifecycle's own options for the service's endpoints: its API base URL and OAuth host options. */
  lifecycleEndpoints(endpoints: ProviderEndpoints): TLifecycleOptions;
}

/**
 * A provider manifest from its parts: `id`, `name` and `secrets` come from the provider definition, and
 * `createLifecycle` hands the provider's lifecycle factory the service's store, OAuth client and clock plus
 * the options `lifecycleEndpoints` derives from the configured endpoints. Every provider wires these the same
 * way, so none writes it.
 */
export function defineProviderManifest<TAction, TTrigger, TLifecycleOptions extends object>(
  parts: ProviderManifestParts<TAction, TTrigger, TLifecycleOptions>,
): ProviderManifest<TAction, TTrigger> {
  const { definition, lifecycle, lifecycleEndpoints, ...manifest } = parts;
  return {
    ...manifest,
    id: definition.id,
    name: definition.name,
    secrets: definition.secrets,
    createLifecycle: ({ store, oauthClient, clock, ...endpoints }) =>
      lifecycle({
        store,
        ...(oauthClient && { oauthClient }),
        ...(clock && { clock }),
        ...lifecycleEndpoints(endpoints),
      }),
  };
}
