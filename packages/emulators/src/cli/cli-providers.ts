import { EMULATORS } from "../emulator-list";
import type { EmulatorCli } from "../shared/emulator-descriptor";

export type { CliEmulator } from "../shared/emulator-descriptor";

/** A provider the command can run. */
export type CliProvider = EmulatorCli;

/** Every provider `autoflow-emulators` can run, by provider id, in the list's order (`emulator-list.ts`). */
export const CLI_PROVIDERS: Readonly<Record<string, CliProvider>> = Object.fromEntries(
  EMULATORS.map((emulator) => [emulator.id, emulator.cli]),
);
