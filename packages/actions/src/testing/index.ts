/**
 * @module
 * `@autoflow/actions/testing`: the test kit a provider package's registry-action and catalogue-trigger tests
 * share. `actionsHarness` puts a provider's registry actions in a registry and runs steps that name them;
 * `createStepRunner` runs steps through the real worker and `JobRunner` with an in-memory vault;
 * `startIntake` puts core's webhook intake on a loopback server for an emulator to deliver to; and
 * `catalogueHarness` builds and matches workflow triggers from a provider's catalogue.
 */

export type { ActionsHarness } from "./actions-harness";
export { actionsHarness } from "./actions-harness";
export type { CatalogueHarness } from "./catalogue";
export { catalogueHarness } from "./catalogue";
export type { RunSteps, RunStepsOptions, RunStepsResult, Vault } from "./run-steps";
export { createStepRunner, outputOf } from "./run-steps";
export type { WebhookIntake } from "./webhook-intake";
export { startIntake } from "./webhook-intake";
