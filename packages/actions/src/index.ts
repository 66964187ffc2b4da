/**
 * @module
 * The AutoFlow action registry (spec 002): `defineAction`, the built-in actions (Slack, GitHub and
 * the `http.request` fallback) as thin wrappers over the provider classes' tasks, the
 * `integrationRegistry` with each action's inputs as JSON Schema, and the worker that runs a step
 * (`runStep`) or a run's steps in order (`createStepJob`) as durable tasks. Workflows may name a catalogue
 * trigger (`triggerRegistry`: GitHub and Slack webhook triggers built by the provider packages' factories,
 * `createWorkflowTrigger`), and `validateWorkflow` checks step references against the actions' output
 * schemas and the trigger's payload schema when the workflow is defined.
 */

export {
  builtinActions,
  githubCreateComment,
  githubCreateIssue,
  httpRequest,
  slackAddReaction,
  slackSendMessage,
} from "./actions/index";
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
export type { AnyTriggerDefinition, TriggerContext, TriggerDefinition } from "./define-trigger";
export { defineTrigger } from "./define-trigger";
export { describeIssues, invalidInputsError, UnknownActionError, UnknownTriggerError } from "./errors";
export type { ActionProviders, HttpActionOptions } from "./provider-options";
export type { ReferenceCheckOptions, ReferenceScope, ReferenceTarget, StepReference } from "./references";
export { checkReferences, findReferences, parseReference, resolveReferences } from "./references";
export type { ActionMetadata, ActionRegistry, JsonSchema } from "./registry";
export { createActionRegistry, integrationRegistry } from "./registry";
export type { SchemaPathMiss } from "./schema-paths";
export { findSchemaPathMiss } from "./schema-paths";
export type { CredentialRequest, StepJobOptions, StepJobOutput, StepJobPayload } from "./step-job";
export { createStepJob } from "./step-job";
export type { TriggerMetadata, TriggerRegistry } from "./trigger-registry";
export { createTriggerRegistry, triggerRegistry } from "./trigger-registry";
export {
  builtinTriggers,
  githubIssueOpened,
  githubPullRequest,
  githubPush,
  slackAppMention,
  slackMessage,
  slackReactionAdded,
} from "./triggers/index";
export type { RunStepOptions } from "./worker";
export { checkCredential, runStep } from "./worker";
export type { Step, StepCheckOptions, Workflow } from "./workflow";
export { invalidPlanError, stepProblems, validateWorkflow } from "./workflow";
export type { WorkflowTrigger, WorkflowTriggerOptions } from "./workflow-trigger";
export { createWorkflowTrigger, resolveWorkflowTrigger } from "./workflow-trigger";
