// Every method of each listed provider's official SDK, as the operation it calls, so OPERATIONS.md can list the
// methods the provider's pinned description does not cover (descriptions can be years older than the SDKs).
// Dev-only: the SDKs are the package's devDependencies, imported here by the name each emulator's descriptor
// gives (`sdk.package`), never at run time.
import { EMULATORS } from "../src/emulator-list";
import type { SdkOperation } from "../src/shared/emulator-descriptor";

export type { SdkOperation } from "../src/shared/emulator-descriptor";

/** One provider's SDK methods; `byPathOnly` when the description's operations match by path alone. */
export interface SdkOperations {
  sdk: string;
  byPathOnly: boolean;
  methods: SdkOperation[];
}

/** Per listed provider whose descriptor names its SDK, that SDK's methods. */
export async function sdkOperations(): Promise<Record<string, SdkOperations>> {
  const entries = await Promise.all(
    EMULATORS.flatMap(({ id, sdk }) =>
      sdk
        ? [
            (async () => {
              const module = (await import(sdk.package)) as Record<string, unknown>;
              const operations: SdkOperations = {
                sdk: sdk.package,
                byPathOnly: sdk.byPathOnly,
                methods: sdk.methods(module),
              };
              return [id, operations] as const;
            })(),
          ]
        : [],
    ),
  );
  return Object.fromEntries(entries);
}
