import { EMULATORS } from "./emulator-list";
import type { ServiceHarness } from "./shared/service-harness";

/**
 * Every listed emulator's service harness, by provider id: the service's HTTP contract tests run for every
 * listed provider and fail for one without a harness here (an emulator missing from `emulator-list.ts`).
 */
export const SERVICE_HARNESSES: Readonly<Record<string, () => ServiceHarness>> = Object.fromEntries(
  EMULATORS.map((emulator) => [emulator.id, emulator.serviceHarness]),
);
