/**
 * @module
 * The AutoFlow action registry (spec 002): `defineAction`, the built-in actions (Slack, GitHub and
 * the `http.request` fallback) as thin wrappers over the provider classes' tasks, the
 * `integrationRegistry` with each action's inputs as JSON Schema, and the worker that runs a step
 * (`runStep`) or a run's steps in order (`createStepJob`) as durable tasks.
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
export { describeIssues, invalidInputsError, UnknownActionError } from "./errors";
export type { ActionProviders, HttpActionOptions } from "./provider-options";
export type { ReferenceScope, ReferenceTarget, StepReference } from "./references";
export { checkReferences, findReferences, parseReference, resolveReferences } from "./references";
export type { ActionMetadata, ActionRegistry, JsonSchema } from "./registry";
export { createActionRegistry, integrationRegistry } from "./registry";
export type { CredentialRequest, StepJobOptions, StepJobOutput, StepJobPayload } from "./step-job";
export { createStepJob } from "./step-job";
export type { RunStepOptions } from "./worker";
export { checkCredential, runStep } from "./worker";
export type { Step, Workflow } from "./workflow";
export { invalidPlanError, stepProblems, validateWorkflow } from "./workflow";
