import { registerSecretShapes } from "@autoflow/core";
import { PROVIDERS } from "./provider-list";

/**
 * Registers every listed provider's token shapes with core's redaction (`redactSecrets`, `maskToken`), so a
 * token of any provider is masked in logs even before its class is first built. Idempotent; the service calls
 * it at start.
 */
export function registerProviderSecrets(): void {
  for (const provider of PROVIDERS) registerSecretShapes(provider.id, provider.secrets);
}
