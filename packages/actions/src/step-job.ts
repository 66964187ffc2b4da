import {
  AuthTypeMismatchError,
  defineJob,
  IntegrationError,
  type Job,
  type JobIntegrations,
} from "@autoflow/core";
import type { ActionOutput } from "./define-action";
import type { ActionProviders } from "./provider-options";
import { resolveReferences } from "./references";
import type { ActionRegistry } from "./registry";
import { runStep } from "./worker";
import { invalidPlanError, type Step, stepProblems } from "./workflow";

/** What a step job run is started with. */
export interface StepJobPayload {
  tenantId: string;
  steps: Step[];
  /** The payload the run was started with; steps reference it as `trigger.<field>`. */
  trigger?: unknown;
  /** The stored workflow the steps come from, when there is one. */
  workflowId?: string;
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
  /** Refresh the credential even if it is not near expiry: the provider just refused it (a 401). */
  forceRefresh?: boolean;
}

export interface StepJobOptions {
  /** Default `autoflow.steps`. */
  id?: string;
  /** Decrypts a credential from the vault; the worker checks its shape. Never logged. */
  resolveCredential(request: CredentialRequest): Promise<unknown> | unknown;
  /** The actions steps may name (the provider list's `integrationRegistry`, or a registry of your own). */
  registry: ActionRegistry;
  providers?: ActionProviders;
}

/** Checks the whole plan, references included, before the first step runs, so a bad step 3 does not leave steps 1 and 2 done. */
function checkPlan(payload: StepJobPayload, registry: ActionRegistry): void {
  if (typeof payload?.tenantId !== "string" || payload.tenantId === "")
    throw invalidPlanError("invalid_steps", ["tenantId is required"]);
  const problems = stepProblems(payload.steps, registry);
  if (problems.length > 0) throw invalidPlanError("invalid_steps", problems);
}

/**
 * A job that runs `payload.steps` in order, each through `runStep` with its credential from the
 * vault, and returns every step's output. References to earlier steps' outputs (and to the trigger payload)
 * are resolved just before each step runs (`resolveReferences`), from the outputs of this execution, which
 * on a replay come from the task log. Re-running a run id resumes it: finished steps are replayed from the
 * task log, never sent again.
 */
export function createStepJob(options: StepJobOptions): Job<JobIntegrations, StepJobPayload, StepJobOutput> {
  const { registry } = options;
  return defineJob<JobIntegrations, StepJobPayload, StepJobOutput>({
    id: options.id ?? "autoflow.steps",
    name: "Steps",
    run: async (payload, io, ctx) => {
      checkPlan(payload, registry);
      const outputs: StepJobOutput["steps"] = [];
      const byId = new Map<string, unknown>();
      for (const step of payload.steps) {
        const inputs = resolveReferences(
          step.inputs ?? {},
          { outputs: byId, trigger: payload.trigger },
          step.id,
        );
        const provider = registry.get(step.action).provider;
        const request =
          step.credentialId === undefined
            ? undefined
            : {
                credentialId: step.credentialId,
                tenantId: payload.tenantId,
                runId: ctx.runId,
                stepId: step.id,
                provider,
              };
        const credential = request === undefined ? undefined : await options.resolveCredential(request);
        try {
          const output = await runStep({
            action: step.action,
            inputs,
            credential,
            tenantId: payload.tenantId,
            runId: ctx.runId,
            stepId: step.id,
            io,
            connectionKey: step.credentialId ?? provider,
            registry,
            // The provider tasks ask again before every attempt, so a step that retries for an hour outlives
            // a one-hour access token, and a refused token is refreshed once.
            ...(request !== undefined && {
              refreshCredential: ({ forceRefresh }: { forceRefresh: boolean }) =>
                options.resolveCredential(forceRefresh ? { ...request, forceRefresh } : request),
            }),
            ...(options.providers !== undefined && { providers: options.providers }),
          });
          outputs.push({ id: step.id, action: step.action, output });
          byId.set(step.id, output);
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
