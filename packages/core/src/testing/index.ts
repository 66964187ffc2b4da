/**
 * @module
 * Test helpers every provider package uses: the integration contract suite, the standard fault set,
 * the task-store suite every store implementation runs, and a test clock. Needs `vitest`.
 */

export type { ConsumerProject } from "./consumer-project";
export { createConsumerProject } from "./consumer-project";
export type { WriteTaskRun } from "./effectively-once";
export { expectDoneOnce, reconcileResults } from "./effectively-once";
export type { ImportLoads } from "./import-loads";
export { importLoads } from "./import-loads";
export type { ContractTask, IntegrationContractOptions } from "./integration-contract";
export { describeIntegrationContract } from "./integration-contract";
export type { HealthFault, LifecycleContractOptions } from "./lifecycle-contract";
export { consent, describeConnectorLifecycle } from "./lifecycle-contract";
export type { PackedProject } from "./packed-project";
export { createPackedProject } from "./packed-project";
export type { ProviderSuiteOptions } from "./provider-suite";
export { describeProvider } from "./provider-suite";
export type { FaultExpectation, StandardFault } from "./standard-faults";
export { STANDARD_FAULT_NAMES, STANDARD_FAULTS } from "./standard-faults";
export { describeTaskStore } from "./task-store-suite";
export type { TestClock } from "./test-clock";
export { createTestClock } from "./test-clock";
