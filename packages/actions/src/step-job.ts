import {
  AuthTypeMismatchError,
  defineJob,
  IntegrationError,
  type Job,
  type JobIntegrations,
} from "@autoflow/core";
import type { ActionOutput } from "./define-action";
import { UnknownActionError } from "./errors";
import type { ActionProviders } from "./provider-options";
import { type ActionRegistry, integrationRegistry } from "./registry";
import { runStep } from "./worker";

/** One step of a run: an action, its inputs and the vault id of its credential. */
export interface Step {
  /** Unique within the run; the key of the step's durable task. */
  id: string;
  /** The action key, e.g. `slack.sendMessage`. */
  action: string;
  inputs?: unknown;
  /** The vault id of the step's credential; omit for actions whose credential is optional. */
  credentialId?: string;
}

/** What a step job run is started with. */
export interface StepJobPayload {
  tenantId: string;
  steps: Step[];
}

/** Every step's output, in order. */
export interface StepJobOutput {
  steps: { id: string; action: string; output: ActionOutput }[];
}

/** Which credential to fetch: the vault is asked on every execution, so a refreshed token is used on resume. */
export interface CredentialRequest {
  credentialId: string;
  tenantId: string;
  runId: string;
  stepId: string;
  /** The provider of the step's action. */
  provider: string;
}

export interface StepJobOptions {
  /** Default `autoflow.steps`. */
  id?: string;
  /** Decrypts a credential from the vault; the worker checks its shape. Never logged. */
  resolveCredential(request: CredentialRequest): Promise<unknown> | unknown;
  /** Default: `integrationRegistry`. */
  registry?: ActionRegistry;
  providers?: ActionProviders;
}

function planError(message: string): IntegrationError {
  return new IntegrationError({ type: "schema", provider: "autoflow", code: "invalid_steps", message });
}

/** Checks the whole plan before the first step runs, so a bad step 3 does not leave steps 1 and 2 done. */
function checkPlan(payload: StepJobPayload, registry: ActionRegistry): void {
  if (typeof payload?.tenantId !== "string" || payload.tenantId === "")
    throw planError("tenantId is required");
  if (!Array.isArray(payload.steps)) throw planError("steps must be an array");
  const seen = new Set<string>();
  for (const [index, step] of payload.steps.entries()) {
    if (typeof step?.id !== "string" || step.id === "") throw planError(`steps.${index}.id is required`);
    if (seen.has(step.id)) throw planError(`steps.${index}.id: "${step.id}" is used by an earlier step`);
    seen.add(step.id);
    if (!registry.has(step.action)) {
      throw planError(
        `steps.${index}.action: ${new UnknownActionError(String(step.action), registry.keys).message}`,
      );
    }
  }
}

/**
 * A job that runs `payload.steps` in order, each through `runStep` with its credential from the
 * vault, and returns every step's output. Sequential only: a step's inputs are taken as given.
 * Re-running a run id resumes it: finished steps are replayed from the task log, never sent again.
 */
export function createStepJob(options: StepJobOptions): Job<JobIntegrations, StepJobPayload, StepJobOutput> {
  const registry = options.registry ?? integrationRegistry;
  return defineJob<JobIntegrations, StepJobPayload, StepJobOutput>({
    id: options.id ?? "autoflow.steps",
    name: "Steps",
    run: async (payload, io, ctx) => {
      checkPlan(payload, registry);
      const outputs: StepJobOutput["steps"] = [];
      for (const step of payload.steps) {
        const provider = registry.get(step.action).provider;
        const credential =
          step.credentialId === undefined
            ? undefined
            : await options.resolveCredential({
                credentialId: step.credentialId,
                tenantId: payload.tenantId,
                runId: ctx.runId,
                stepId: step.id,
                provider,
              });
        try {
          const output = await runStep({
            action: step.action,
            inputs: step.inputs ?? {},
            credential,
            tenantId: payload.tenantId,
            runId: ctx.runId,
            stepId: step.id,
            io,
            connectionKey: step.credentialId ?? provider,
            registry,
            ...(options.providers !== undefined && { providers: options.providers }),
          });
          outputs.push({ id: step.id, action: step.action, output });
        } catch (error) {
          // The run's error is in the taxonomy: a credential of the wrong type is an `auth` failure.
          if (AuthTypeMismatchError.isInstance(error)) {
            throw new IntegrationError({
              type: "auth",
              provider,
              code: "auth_type_mismatch",
              message: `Step "${step.id}": ${error.message}`,
              cause: error,
            });
          }
          throw error;
        }
      }
      return { steps: outputs };
    },
  });
}
