/**
 * @module
 * The AutoFlow action registry (spec 002): `defineAction` and `defineTrigger`, the `http.request` fallback
 * action, `createActionRegistry` and `createTriggerRegistry` (each entry's inputs as JSON Schema), and the worker
 * that runs a step (`runStep`) or a run's steps in order (`createStepJob`) as durable tasks. Workflows may name
 * a catalogue trigger (`createWorkflowTrigger`), and `validateWorkflow` checks step references against the
 * actions' output schemas and the trigger's payload schema when the workflow is defined. Provider packages
 * declare their actions and triggers with these and bind their classes to a step with `integrationFor`; the
 * registries holding every provider's entries live in the provider list, `@autoflow/providers`.
 */

export { httpRequest } from "./actions/http";
export type {
  Action,
  ActionContext,
  ActionDefinition,
  ActionOutput,
  AnyAction,
  AuthOf,
  CredentialPolicy,
} from "./define-action";
export { defineAction } from "./define-action";
export type {
  AnyTriggerDefinition,
  ScopeCheckResult,
  ScopeConnection,
  TriggerContext,
  TriggerDefinition,
  TriggerScopeDefinition,
} from "./define-trigger";
export { defineTrigger } from "./define-trigger";
export type { CheckedFetchOptions, EgressLookup, EgressPolicy } from "./egress/index";
export { createCheckedFetch, destinationRefusal } from "./egress/index";
export { describeIssues, invalidInputsError, UnknownActionError, UnknownTriggerError } from "./errors";
export type { IntegrationClass, RunBindable } from "./integration-for";
export { configuredIntegration, integrationFor } from "./integration-for";
export type { JsonSchema } from "./json-schema";
export { pollingConnectionAuth } from "./polling-connection";
export type { ActionProviders, HttpActionOptions } from "./provider-options";
export type { ProviderPackage } from "./provider-package";
export type { ReferenceCheckOptions, ReferenceScope, ReferenceTarget, StepReference } from "./references";
export {
  checkReferences,
  findReferences,
  parseReference,
  resolveReferences,
  withoutTemplates,
} from "./references";
export type { ActionMetadata, ActionRegistry } from "./registry";
export { createActionRegistry } from "./registry";
export type { Schema } from "./schema";
export type { SchemaPathMiss } from "./schema-paths";
export { findSchemaPathMiss } from "./schema-paths";
export type { CredentialRequest, StepJobOptions, StepJobOutput, StepJobPayload } from "./step-job";
export { createStepJob } from "./step-job";
export type { TriggerMetadata, TriggerRegistry } from "./trigger-registry";
export { createTriggerRegistry } from "./trigger-registry";
export type { RunStepOptions } from "./worker";
export { checkCredential, runStep } from "./worker";
export type { Step, StepCheckOptions, Workflow } from "./workflow";
export { invalidPlanError, stepProblems, validateWorkflow } from "./workflow";
export type { WorkflowTrigger, WorkflowTriggerOptions } from "./workflow-trigger";
export { createWorkflowTrigger, resolveWorkflowTrigger } from "./workflow-trigger";
