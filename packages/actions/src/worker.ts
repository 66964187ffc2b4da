import {
  AuthTypeMismatchError,
  assertNormalizedAuth,
  credentialOf,
  declareSecrets,
  IntegrationError,
  type IO,
  type NormalizedAuth,
} from "@autoflow/core";
import type { ActionOutput, AnyAction } from "./define-action";
import { invalidInputsError } from "./errors";
import type { ActionProviders } from "./provider-options";
import type { ActionRegistry } from "./registry";

/** One step for the worker to run. */
export interface RunStepOptions {
  /** The action key, e.g. `crm.createContact`. */
  action: string;
  /** The step's configured inputs, validated by the action's `inputSchema`. */
  inputs: unknown;
  /** The step's bound credential, as decrypted from the vault (checked here); omit when none is bound. */
  credential?: NormalizedAuth | unknown;
  tenantId: string;
  /** Defaults to `io.runId`. */
  runId?: string;
  /** Unique within the run: the key of the step's durable task. */
  stepId: string;
  io: IO;
  /** The connection key provider tasks are logged under, e.g. the credential id. Defaults to the provider. */
  connectionKey?: string;
  /** The registry the action key is resolved in. */
  registry: ActionRegistry;
  providers?: ActionProviders;
  /**
   * The step's credential as it is now (refreshed when about to expire, at once with `forceRefresh`): the
   * provider tasks inside the step ask it before every attempt. Without it they use `credential` throughout.
   */
  refreshCredential?(options: { forceRefresh: boolean }): Promise<unknown> | unknown;
}

/**
 * The step's credential checked against the action: `AuthTypeMismatchError` for the wrong type, an
 * `auth` IntegrationError when it is missing, malformed or another provider's.
 */
export function checkCredential(action: AnyAction, credential: unknown): NormalizedAuth | undefined {
  const policy = action.credential ?? {};
  if (credential === undefined || credential === null) {
    if (policy.optional) return undefined;
    throw new IntegrationError({
      type: "auth",
      provider: action.provider,
      code: "missing_credential",
      message: `${action.key} needs a ${action.provider} credential (${action.authTypes.join(" or ")}); bind one to the step`,
    });
  }
  const claimed = (credential as { provider?: unknown }).provider;
  const provider = policy.anyProvider && typeof claimed === "string" ? claimed : action.provider;
  try {
    return assertNormalizedAuth(credential, action.authTypes, provider);
  } catch (error) {
    if (AuthTypeMismatchError.isInstance(error)) throw error;
    throw new IntegrationError({
      type: "auth",
      provider: action.provider,
      code: "invalid_credential",
      message: `${action.key}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}

/**
 * Runs one registry action as a step (spec 002's worker): resolves the action, checks the credential
 * against its `authType` and `provider`, validates the inputs (a `schema` IntegrationError naming
 * each bad field), then runs it as a durable task keyed by `stepId`, so a replay of the run returns
 * the logged output without calling the provider again. Retries happen in the provider class tasks
 * inside, per the taxonomy. Nothing is sent when a check fails.
 */
export async function runStep(options: RunStepOptions): Promise<ActionOutput> {
  const action = options.registry.get(options.action);
  const auth = checkCredential(action, options.credential);
  const parsed = action.inputSchema.safeParse(options.inputs);
  if (!parsed.success) throw invalidInputsError(action.key, action.provider, parsed.error);

  const { io, stepId, tenantId } = options;
  const runId = options.runId ?? io.runId;
  const output = await io.runTask(
    stepId,
    async (_task, taskIO) => {
      const { refreshCredential } = options;
      const currentAuth =
        auth === undefined || refreshCredential === undefined
          ? undefined
          : async (refresh: { forceRefresh?: boolean } = {}) => {
              const fresh = checkCredential(
                action,
                await refreshCredential({ forceRefresh: refresh.forceRefresh === true }),
              );
              if (fresh === undefined)
                throw new IntegrationError({
                  type: "auth",
                  provider: action.provider,
                  message: `${action.key}: the step's credential is gone`,
                });
              // A refreshed token is a new secret: scrubbed from everything the run logs from now on.
              declareSecrets(taskIO, secretsOf(fresh));
              return fresh;
            };
      const result = await action.run({
        auth,
        ...(currentAuth && { currentAuth }),
        inputs: parsed.data,
        tenantId,
        runId,
        stepId,
        io: taskIO,
        provider: action.provider,
        connectionKey: options.connectionKey ?? action.provider,
        providers: options.providers ?? {},
      });
      return result ?? null;
    },
    {
      name: action.name,
      icon: action.provider,
      params: parsed.data,
      // The step's credential, from the vault: scrubbed from this step's and its nested tasks' records.
      secrets: secretsOf(auth),
      redact: { paths: [...(action.redactInputs?.(parsed.data) ?? [])] },
      properties: [
        { label: "Action", text: action.key },
        { label: "Step", text: stepId },
      ],
    },
  );
  return (output ?? null) as ActionOutput;
}

/** The secret values of a credential: what must never reach the task log. */
function secretsOf(auth: NormalizedAuth | undefined): string[] {
  if (auth === undefined) return [];
  return [credentialOf(auth), ...(auth.type === "oauth2" && auth.refresh_token ? [auth.refresh_token] : [])];
}
