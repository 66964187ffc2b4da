/**
 * @module
 * The one list of AutoFlow providers (`PROVIDERS`): each provider package's manifest
 * (`@autoflow/<provider>/provider`). It is the only place that names every provider: the connection service
 * serves them, the registries built here (`integrationRegistry`, `triggerRegistry`) hold their actions and
 * triggers, the bench measures them, and `registerProviderSecrets` teaches the redaction their token shapes.
 */

export type { ProviderPackage } from "@autoflow/actions";
export { PROVIDERS, providerById } from "./provider-list";
export { registerProviderSecrets } from "./register-provider-secrets";
export { builtinActions, builtinTriggers, integrationRegistry, triggerRegistry } from "./registries";
