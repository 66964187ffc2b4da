/**
 * @module
 * Every emulator the package ships. The command (`autoflow-emulators`), the service harnesses, the package's
 * public API and the script that writes `OPERATIONS.md` read this list, so adding an emulator is its folder
 * (`src/<provider>/`, whose `index.ts` exports its public API and its `EmulatorDescriptor`) and its line here
 * (with the import and re-export beside it). The list's order is the command's default `--providers` order.
 */
import { githubDescriptor } from "./github/index";
import { gmailDescriptor } from "./gmail/index";
import { jiraDescriptor } from "./jira/index";
import type { EmulatorDescriptor } from "./shared/emulator-descriptor";
import { slackDescriptor } from "./slack/index";
import { stripeDescriptor } from "./stripe/index";

// Each emulator's public API, which the package's index re-exports whole.
export * from "./github/index";
export * from "./gmail/index";
export * from "./jira/index";
export * from "./slack/index";
export * from "./stripe/index";

/** The listed emulators, in the command's default order. */
export const EMULATORS: readonly EmulatorDescriptor[] = [
  slackDescriptor,
  githubDescriptor,
  stripeDescriptor,
  gmailDescriptor,
  jiraDescriptor,
];

/** The listed emulator with this provider id, if any. */
export function emulatorById(id: string): EmulatorDescriptor | undefined {
  return EMULATORS.find((emulator) => emulator.id === id);
}
