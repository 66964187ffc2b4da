import { SERVICE_HARNESSES, type ServiceHarness } from "@autoflow/emulators";

/** How the HTTP contract tests drive one provider's emulator: its service harness, plus the service's configuration for it. */
export interface ProviderHarness extends Omit<ServiceHarness, "endpoints" | "oauthClient"> {
  /** The `AUTOFLOW_<PROVIDER>_*` variables that point the service at the emulator. */
  env(): Record<string, string>;
}

/** A provider's harness: its emulator's, with the service's variables named after the provider id. */
function harnessFor(id: string, make: () => ServiceHarness): () => ProviderHarness {
  return () => {
    const harness = make();
    const prefix = `AUTOFLOW_${id.toUpperCase().replace(/-/g, "_")}_`;
    return {
      ...harness,
      env: () => {
        const { apiUrl, webUrl } = harness.endpoints();
        const { clientId, clientSecret } = harness.oauthClient();
        return {
          [`${prefix}CLIENT_ID`]: clientId,
          [`${prefix}CLIENT_SECRET`]: clientSecret,
          [`${prefix}API_URL`]: apiUrl,
          [`${prefix}WEB_URL`]: webUrl,
        };
      },
    };
  };
}

/**
 * One harness per emulated provider, by id, from the emulators package. The HTTP tests iterate over
 * `PROVIDERS` and fail for a listed provider whose emulator has no service harness.
 */
export const PROVIDER_HARNESSES: Readonly<Record<string, () => ProviderHarness>> = Object.fromEntries(
  Object.entries(SERVICE_HARNESSES).map(([id, make]) => [id, harnessFor(id, make)]),
);
