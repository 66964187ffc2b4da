import { IntegrationError } from "../errors";
import type { ProviderAdapter } from "./provider-adapter";

/** Anything a provider call threw, in the taxonomy: IntegrationErrors pass, the rest goes through the adapter. */
export function asIntegrationError(
  adapter: ProviderAdapter<string, object>,
  thrown: unknown,
): IntegrationError {
  return IntegrationError.isInstance(thrown) ? thrown : adapter.toIntegrationError(thrown);
}

/** Runs a provider call so that it fails with the taxonomy's IntegrationError, never a raw SDK error. */
export async function callProvider<T>(
  adapter: ProviderAdapter<string, object>,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (thrown) {
    throw asIntegrationError(adapter, thrown);
  }
}
