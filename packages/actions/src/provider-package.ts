import type { ProviderManifest } from "@autoflow/core";
import type { AnyAction } from "./define-action";
import type { AnyTriggerDefinition } from "./define-trigger";

/**
 * A provider package's manifest (`@autoflow/<provider>/provider`) with its registry actions and trigger
 * catalogue entries typed: what the provider list holds and the service, the registries and the bench iterate
 * over.
 */
export type ProviderPackage = ProviderManifest<AnyAction, AnyTriggerDefinition>;
